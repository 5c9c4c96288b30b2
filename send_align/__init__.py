"""send-align: which strategy aims a SEND policy document addresses, with the evidence."""

__version__ = "0.1.0"
