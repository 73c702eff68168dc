"""Reading documents: one loader per format -> a Document of pages; normalising; limits.

The rest of Schreibstube calls :func:`read_document` with a :class:`Limits` and gets a
:class:`Document` of numbered :class:`Page` objects, or a German ``DocumentError`` /
``FileTooLarge`` naming the file. Map of the package:

- ``reader``       read_document: size check, child process with timeout, error mapping
- ``isolation``    running one parse in a killable child process
- ``registry``     format -> loader, normalisation, refusing empty results
- ``formats``      the supported formats and content sniffing
- ``base``         the ``Loader`` interface (one method) and ``Limits``
- ``pdf``, ``ocr`` PDF text per page, repair, OCR of scanned pages
- ``office``, ``word``, ``opendocument``  DOCX/ODT -> Markdown, pages via LibreOffice
- ``text``, ``webpage``, ``mail``         plain text/Markdown, HTML, e-mail (.eml)
- ``blocks``, ``paging``                  Markdown blocks and cutting them into pages
- ``normalize``    pure text clean-up (Unicode, ligatures, hyphenation, running heads)
- ``messages``     every German user-facing message of this package
"""

from schreibstube.documents.base import Limits, Loader
from schreibstube.documents.formats import FORMATS, SUPPORTED_EXTENSIONS
from schreibstube.documents.model import Document, Page
from schreibstube.documents.reader import read_document

__all__ = [
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "Document",
    "Limits",
    "Loader",
    "Page",
    "read_document",
]
