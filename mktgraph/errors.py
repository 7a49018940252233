"""The exception hierarchy of mktgraph, and the exit code each kind maps to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_NEGATIVE = 1  # the answer is "no": violations, inconsistency
EXIT_USAGE = 2  # bad input, bad usage, unreachable resources
EXIT_INTERNAL = 70  # a bug in mktgraph (EX_SOFTWARE of sysexits.h), never "no"
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (`... | head`): 128 + SIGPIPE
EXIT_TERMINATED = 143  # SIGTERM: 128 + SIGTERM, after cleaning up


class MktgraphError(Exception):
    """Base class: a message for one line on stderr, and an exit code."""

    exit_code = EXIT_USAGE


class UsageError(MktgraphError):
    """Options that do not go together, or that the chosen source cannot honour."""


class InputError(MktgraphError):
    """A file or value given by the user cannot be used (missing, unreadable, malformed)."""


class QueryError(MktgraphError):
    """A query is unknown, malformed, lacks a parameter, or asks for something refused."""


class NetworkRefused(MktgraphError):
    """Something would reach the network without the user asking for it."""


class Terminated(BaseException):
    """SIGTERM arrived: raised in the main thread so that ``finally`` blocks and context
    managers clean up (temporary folders, child processes) before the exit with 143."""
