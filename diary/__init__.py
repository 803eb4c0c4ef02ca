"""diary: an appointment book that protects the owner's promises."""

__version__ = "0.1.0"
