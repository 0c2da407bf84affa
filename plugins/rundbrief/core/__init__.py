"""The pure core: content model, parsing, validation. Imports nothing of MkDocs, so that it outlives
any one site generator."""

from . import paths
from .content import Content, load_content
from .model import Issue, Item, Mention, Project, Section
from .problems import Problem, report

__all__ = [
    "Content",
    "Issue",
    "Item",
    "Mention",
    "Problem",
    "Project",
    "Section",
    "load_content",
    "paths",
    "report",
]
