"""Back/forward history of where the learner has been, as in a browser."""

from __future__ import annotations

Location = tuple[str, ...]  # ("sources", source_id, passage_id, quote), ("mechanisms", id), ...


class History:
    def __init__(self) -> None:
        self.places: list[Location] = []
        self.position = -1

    @property
    def current(self) -> Location | None:
        return self.places[self.position] if self.position >= 0 else None

    def visit(self, place: Location) -> None:
        """Record a new place; forward history is dropped, a repeat of the current is not kept."""
        if place == self.current:
            return
        del self.places[self.position + 1 :]
        self.places.append(place)
        self.position = len(self.places) - 1

    def can_go_back(self) -> bool:
        return self.position > 0

    def can_go_forward(self) -> bool:
        return self.position < len(self.places) - 1

    def back(self) -> Location | None:
        if not self.can_go_back():
            return None
        self.position -= 1
        return self.current

    def forward(self) -> Location | None:
        if not self.can_go_forward():
            return None
        self.position += 1
        return self.current
