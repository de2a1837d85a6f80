"""The medical disclaimer shown on first run and in Help → About."""

MEDICAL_DISCLAIMER = (
    "StudyApp helps you learn what research says about exercise and depression. It is not "
    "medical advice and does not replace diagnosis or treatment. The sources range from mouse "
    "studies to news articles; each fact shows which. If you think you may be depressed, talk "
    "to a doctor or a qualified mental health practitioner. If you are in crisis, call your "
    "local emergency number now."
)
