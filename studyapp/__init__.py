"""StudyApp: an offline study guide to how physical exercise relieves depression."""

__version__ = "0.1.0"
