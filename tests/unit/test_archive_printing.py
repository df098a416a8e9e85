"""A dossier printed for people (services/archive/printing.py): a PDF/A-3b document in Chinese
whose embedded files are the case's own, checked with pikepdf (veraPDF cannot be installed on
this machine; these are the checks it would start with) and its first page rendered to PNG."""
import hashlib
import re

import pikepdf
import pypdfium2
import pytest

from services.archive.files import ArchiveFiles
from services.archive.printing import print_dossier, render
from tests import factories
from tests.unit.conftest import store_config
from tests.unit.test_intake import upload

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1", "person": "周健"}
SPEC = b"%PDF-1.7 the lamp's specification"
PHOTO = b"\x89PNG\r\n\x1a\n not really a photo of the sample"
TITLE = "LED 灯具安全检测（出口前型式试验）"


@pytest.fixture
def config(tmp_path, pg_schema_prefix):
    return store_config("memory", tmp_path, pg_schema_prefix)


@pytest.fixture
def printed_case(open_platform, tmp_path):
    """A completed case of two attachments, the archive keeping its files."""
    platform = open_platform(factories.station(auto_accept=["inspection_testing"]))
    intake = platform.apps["intake"]
    platform.archive.files = ArchiveFiles(intake.attachments.path, tmp_path / "archive-files")
    lab = platform.apps["matching"].register_institution(
        factories.institution(name="番禺产品检测中心"), SPECIALIST, station=factories.PANYU)
    files = [upload(intake, "规格书.pdf", "application/pdf", SPEC, SPECIALIST),
             upload(intake, "sample.png", "image/png", PHOTO, SPECIALIST)]
    platform.settle()
    demand = intake.submit_demand(factories.demand(
        title=TITLE, attachments=[f["sha256"] for f in files],
        enterprise={"name": "广州灯具有限公司", "credit_code": factories.credit_code(),
                    "contact": "李华", "phone": "+86 20 8888 0000"}), SPECIALIST)
    platform.settle()
    institution = {"role": "institution", "subject": lab["id"]}
    (offer,) = platform.apps["matching"].assignments(institution)["items"]
    platform.apps["matching"].complete_service(offer["assignment_id"], {"report_number": "R-1"}, institution)
    platform.settle()
    return platform, demand["id"], files


def test_a_printed_dossier_is_pdf_a_3b_in_chinese_with_its_files_embedded(printed_case, tmp_path):
    platform, demand_id, files = printed_case
    archive = platform.archive
    target = tmp_path / "dossier.pdf"
    render(archive.printable(demand_id), archive.verify(demand_id), SUPERVISOR,
           "2026-11-30T09:30:00+08:00", archive.files.path, target)

    with pikepdf.open(target) as pdf:
        # PDF/A-3b named in the XMP metadata, with the sRGB output intent it requires.
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "B"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.read_bytes()
        # Each of the case's files embedded, byte for byte the file its listed hash names.
        # (by their Unicode names: WeasyPrint's name-tree keys are the names' UTF-8 bytes)
        embedded = {spec.filename: spec.get_file().read_bytes() for spec in pdf.attachments.values()}
        assert sorted(embedded) == ["sample.png", "规格书.pdf"]
        assert {hashlib.sha256(data).hexdigest() for data in embedded.values()} == {f["sha256"] for f in files}
        # PDF/A-3: each file associated with the document, saying how (WeasyPrint lists each twice)
        assert {spec.objgen for spec in pdf.Root.AF} == {spec.obj.objgen for spec in pdf.attachments.values()}
        assert {str(spec.AFRelationship) for spec in pdf.Root.AF} == {"/Supplement"}

    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(target))
    flat = re.sub(r"\s+", "", text)
    for expected in (TITLE, "提交需求", "机构完成服务", "广州灯具有限公司", "番禺产品检测中心",
                     "完整，未被篡改", demand_id, *(f["sha256"] for f in files)):
        assert re.sub(r"\s+", "", expected) in flat, expected

    page = pypdfium2.PdfDocument(target)[0].render(scale=1.5).to_pil()
    page.save(tmp_path / "dossier-page-1.png")
    assert page.size[0] > 800


def test_a_file_not_held_intact_is_listed_not_embedded_and_the_verification_says_so(printed_case, tmp_path):
    platform, demand_id, files = printed_case
    archive = platform.archive
    (archive.files.path / files[1]["sha256"]).write_bytes(b"edited afterwards")
    verification = archive.verify(demand_id)
    assert verification["intact"] is False
    target = tmp_path / "dossier.pdf"
    render(archive.printable(demand_id), verification, SUPERVISOR, "2026-11-30T09:30:00+08:00",
           archive.files.path, target)
    with pikepdf.open(target) as pdf:
        assert [spec.filename for spec in pdf.attachments.values()] == ["规格书.pdf"]
    text = re.sub(r"\s+", "", "".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(target)))
    assert "发现问题" in text and "未嵌入：内容与哈希不符" in text


def test_printing_runs_apart_and_leaves_only_the_pdf(printed_case):
    platform, demand_id, _ = printed_case
    archive = platform.archive
    prints = archive.files.path / "prints"
    name = print_dossier(archive.printable(demand_id), archive.verify(demand_id), SUPERVISOR,
                         "2026-11-30T09:30:00+08:00", archive.files.path, prints)
    assert [p.name for p in prints.iterdir()] == [name] and name.endswith(".pdf")
    assert (prints / name).read_bytes().startswith(b"%PDF-1.7")
