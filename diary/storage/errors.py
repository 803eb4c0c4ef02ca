"""Errors raised by the storage layer; messages are meant for the user."""


class StorageError(Exception):
    """The database cannot be opened, migrated or written as asked."""


class NotFound(StorageError):
    """A row the caller named does not exist."""
