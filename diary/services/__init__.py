"""Use cases: the only API the UI and the command line call."""

from diary.services.results import Draft, InputError, Listed, NotFoundError, Outcome, Repeat
from diary.services.service import DiaryService
from diary.storage.errors import StorageError

__all__ = [
    "DiaryService",
    "Draft",
    "InputError",
    "Listed",
    "NotFoundError",
    "Outcome",
    "Repeat",
    "StorageError",
]
