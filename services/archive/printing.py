"""A dossier printed for people: one PDF/A-3b document in Chinese, with the case's files in it.

It shows the case summary, the parties, the seal and the hash chain's head, the verification
(the same report as ``GET /api/v1/archive/demands/{id}/verify``, so a reader can compare them),
every file the dossier names with its SHA-256, and the timeline: each entry's time (in the
station's offset), its event in Chinese (shared/vocabulary.py) and its particulars. The files
are embedded in the PDF (PDF/A-3 allows any kind: ``b``, since a printed page is what is kept
visually); a file the archive does not hold intact is listed with its problem, not embedded.

WeasyPrint renders it, in a child process (``print_dossier``): a render holds the CPU for a
while and its memory grows with the dossier, which a long-lived archive process should do
neither of. The PDF is written into a folder of the archive's files volume (``ARCHIVE.files``/
``prints``), which the gateway mounts too; the gateway streams it and removes it.
"""
from __future__ import annotations

import html
import json
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from string import Template

from shared.vocabulary import CATEGORY_LABELS, EVENT_LABELS, STAGE_LABELS, STATUS_LABELS

TEMPLATE = Path(__file__).with_name("dossier.html")
STYLE = Path(__file__).with_name("dossier.css")
#: A render longer than this is stopped (a dossier is tens of pages, rendered in seconds).
RENDER_SECONDS = 120
#: Prints older than this were never streamed (a gateway that stopped): removed by the next.
FORGOTTEN_SECONDS = 3600
ZH = "zh-CN"


def print_dossier(printable: dict, verification: dict, printed_by: dict, printed_at: str,
                  files: Path, folder: Path) -> str:
    """Render the dossier into ``folder`` in a child process (its files read from ``files``);
    the print's file name."""
    folder.mkdir(parents=True, exist_ok=True)
    _remove_forgotten(folder)
    name = uuid.uuid4().hex
    request, target = folder / f"{name}.json", folder / f"{name}.pdf"
    request.write_text(json.dumps({"printable": printable, "verification": verification,
                                   "printed_by": printed_by, "printed_at": printed_at},
                                  ensure_ascii=False))
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(request), str(target), str(files)],
            capture_output=True, text=True, timeout=RENDER_SECONDS)
    finally:
        request.unlink(missing_ok=True)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise RuntimeError(f"printing the dossier failed: {done.stderr[-2000:]}")
    return target.name


def _remove_forgotten(folder: Path) -> None:
    before = time.time() - FORGOTTEN_SECONDS
    for found in folder.iterdir():
        try:
            if found.stat().st_mtime < before:
                found.unlink()
        except FileNotFoundError:  # removed meanwhile by the gateway or another render
            pass


def render(printable: dict, verification: dict, printed_by: dict, printed_at: str,
           files: Path, target: Path) -> None:
    """Write the printed dossier to ``target`` as PDF/A-3b, embedding its intact files."""
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.urls import URLFetcher

    # Nothing is fetched: the page is made of the dossier's text, its style and system fonts
    # (no URL a person typed may make the archive reach out).
    nothing = URLFetcher(allowed_protocols=())
    broken = {found["sha256"]: found["problem"] for found in verification.get("files") or ()}
    embedded = [f for f in printable["files"] if f["sha256"] not in broken]
    attachments = [Attachment(filename=files / f["sha256"], name=name, relationship="Supplement",
                              description=f"{f['name']} · SHA-256 {f['sha256']}",
                              url_fetcher=nothing)
                   for f, name in zip(embedded, _distinct_names(embedded))]
    page = HTML(string=page_html(printable, verification, printed_by, printed_at, broken),
                url_fetcher=nothing, base_url=str(TEMPLATE.parent))
    page.write_pdf(target, stylesheets=[CSS(filename=STYLE, url_fetcher=nothing)],
                   pdf_variant="pdf/a-3b", attachments=attachments, uncompressed_pdf=False)


def _distinct_names(described: list[dict]) -> list[str]:
    """Each file's name in the PDF, which must name one file only: a repeated name is
    prefixed with the start of its hash."""
    seen, names = set(), []
    for found in described:
        name = found["name"]
        if name in seen:
            name = f"{found['sha256'][:12]}-{name}"
        seen.add(name)
        names.append(name)
    return names


# The page ------------------------------------------------------------------------------------
def page_html(printable: dict, verification: dict, printed_by: dict, printed_at: str,
              broken: dict[str, str]) -> str:
    dossier = printable["dossier"]
    zone = _station_zone(dossier)
    title = dossier.get("title") or "（无标题）"
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        document_title=_text(f"案卷 {title}"), case_title=_text(title),
        demand_id=_text(dossier["demand_id"]), printed_at=_text(_shown(printed_at, zone)),
        printed_by=_text(_actor(printed_by)), summary=_summary(dossier, zone),
        parties=_parties(dossier, printable), seal=_seal(dossier, zone),
        verification=_verification(verification, dossier["demand_id"]),
        files=_files(printable["files"], broken), timeline=_timeline(dossier["events"], zone))


def _summary(dossier: dict, zone) -> str:
    return _fields([
        ("案件编号", _code(dossier["demand_id"])),
        ("需求标题", _text(dossier.get("title"))),
        ("服务类别", _label(CATEGORY_LABELS, dossier.get("category"))),
        ("当前状态", _label(STATUS_LABELS, dossier.get("status"))),
        ("所在园区", _text(dossier.get("park"))),
        ("提交时间", _text(_shown(dossier.get("submitted_utc"), zone))),
        ("超出时限的环节", _text("、".join(_label_text(STAGE_LABELS, s) for s in dossier["breaches"])
                          or "无")),
        ("未匹配原因", _text("；".join(dossier.get("unmatched_reasons") or ()) or "无")),
        ("事件数", _text(dossier["event_count"])),
    ])


def _parties(dossier: dict, printable: dict) -> str:
    enterprise = dossier.get("enterprise") or {}
    assignment = dossier.get("assignment") or {}
    return _fields([
        ("企业", _text(enterprise.get("name"))),
        ("统一社会信用代码", _code(enterprise.get("credit_code"))),
        ("企业联系人", _text(" ".join(filter(None, (enterprise.get("contact"),
                                                    enterprise.get("phone")))))),
        ("服务工作站", _text(printable.get("station")) + " " + _code(dossier.get("station_id"))),
        ("服务机构", _text(printable.get("institution") or ("未指派" if not assignment else ""))
         + " " + _code(assignment.get("institution_id"))),
        ("服务安排编号", _code(assignment.get("assignment_id"))),
    ])


def _seal(dossier: dict, zone) -> str:
    seal = dossier.get("seal")
    rows = [("哈希链当前链头", _code(dossier.get("chain_head"))),
            ("链起点", _code(f"SHA-256(\"onestop-dossier:{dossier['demand_id']}\")"))]
    if seal is None:
        rows.append(("封存", _text("尚未封存（办结并完成评价后封存）")))
    else:
        rows += [("封存时间", _text(_shown(seal["sealed_at"], zone))),
                 ("封存事件", _label(EVENT_LABELS, seal["sealed_by_event"])),
                 ("封存部分的链头", _code(seal["head"])),
                 ("封存时的事件数", _text(seal["event_count"])),
                 ("保管期限至", _text(seal["retention_until"]))]
    return _fields(rows) + ('<p class="note">每条记录的哈希 = SHA-256(前一条的哈希 ‖ 该记录的规范 JSON)；'
                            '链头为最后一条记录的哈希。</p>')


def _verification(report: dict, demand_id: str) -> str:
    intact = report.get("intact")
    seal = report.get("seal") or {}
    rows = [
        ("结论", '<span class="ok">完整，未被篡改 (intact)</span>' if intact
         else '<span class="broken">发现问题 (not intact)</span>'),
        ("核对的记录数", _text(report.get("entries"))),
        ("首个异常记录", _text(json.dumps(report["first_broken"], ensure_ascii=False))
         if report.get("first_broken") else _text("无")),
        ("与封存记录一致", _text("—" if not seal else ("是" if seal.get("matches") else "否"))),
        ("封存记录的链头", _code((seal.get("recorded") or {}).get("head"))),
        ("已逐条与各服务事件库核对", _text("是" if report.get("sources_checked") else "否")),
        ("文件问题", _text("；".join(f"{f['sha256']}：{_file_problem(f['problem'])}"
                                   for f in report.get("files") or ()) or "无")),
    ]
    return _fields(rows) + (
        '<p class="note">可随时以 <span class="code">GET /api/v1/archive/demands/'
        f'{_text(demand_id)}/verify</span> 重新核验：其 intact、entries、first_broken 与 '
        'seal.recorded.head 应与上表一致。</p>')


def _files(described: list[dict], broken: dict[str, str]) -> str:
    if not described:
        return "<p>本案卷未载明任何文件。</p>"
    def held(sha256: str) -> str:
        return "已嵌入本文件" if sha256 not in broken else "未嵌入：" + _file_problem(broken[sha256])
    rows = "".join(
        f"<tr><td>{_text(f['name'])}</td><td>{_label(EVENT_LABELS, f['named_by'])}</td>"
        f"<td class=\"hash\">{_text(f['sha256'])}</td><td>{_text(held(f['sha256']))}</td></tr>"
        for f in described)
    return ("<table><thead><tr><th>文件名</th><th>载于</th><th>SHA-256</th><th>本文件中</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
            '<p class="note">嵌入的文件可在 PDF 阅读器的“附件”中打开；其 SHA-256 应与上表一致。</p>')


def _timeline(events: list[dict], zone) -> str:
    rows = []
    for entry in events:
        addendum = '<div class="addendum">封存后补充</div>' if entry.get("addendum") else ""
        rows.append(
            f"<tr><td class=\"when\">{_text(_shown(entry['occurred_at'], zone))}</td>"
            f"<td class=\"what\">{_label(EVENT_LABELS, entry['name'])}{addendum}</td>"
            f"<td>{_particulars(entry['data'])}"
            f"<div class=\"hash\">{_text(entry['service'])} #{_text(entry['notification_id'])} · "
            f"{_text(entry.get('hash'))}</div></td></tr>")
    return ("<table><thead><tr><th>时间</th><th>事项</th><th>详情（来源 · 记录哈希）</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _particulars(data: dict) -> str:
    shown = []
    for key, value in data.items():
        if key == "demand_id":  # the whole dossier's
            continue
        if key == "category":
            value = _label_text(CATEGORY_LABELS, value)
        elif isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        shown.append(f"<dt>{_text(key)}</dt><dd>{_text(value)}</dd>")
    return f"<dl class=\"particulars\">{''.join(shown)}</dl>"


# Small pieces ---------------------------------------------------------------------------------
def _fields(rows: list[tuple[str, str]]) -> str:
    """A two-column table; the values are HTML already (escaped by ``_text``/``_code``)."""
    body = "".join(f"<tr><th>{_text(label)}</th><td>{value}</td></tr>" for label, value in rows)
    return f'<table class="fields"><tbody>{body}</tbody></table>'


def _text(value) -> str:
    """Text of the dossier (what people typed too) as HTML: escaped, never markup."""
    return "" if value is None else html.escape(str(value))


def _code(value) -> str:
    return f'<span class="hash">{_text(value)}</span>' if value else ""


def _label_text(labels: dict, code) -> str:
    found = labels.get(code)
    return f"{found[ZH]} ({code})" if found else str(code or "")


def _label(labels: dict, code) -> str:
    return _text(_label_text(labels, code))


def _file_problem(problem: str) -> str:
    return {"not kept": "档案库未保存", "altered": "内容与哈希不符"}.get(problem, problem)


def _actor(actor: dict) -> str:
    return " / ".join(filter(None, (actor.get("role"), actor.get("subject"), actor.get("person"))))


def _station_zone(dossier: dict):
    """The station's offset, read from the submission's time in the station's clock (UTC if
    the dossier has no submission yet)."""
    submitted = dossier.get("submitted_at")
    return datetime.fromisoformat(submitted).tzinfo if submitted else timezone.utc


def _shown(moment: str | None, zone) -> str:
    if not moment:
        return ""
    return datetime.fromisoformat(moment).astimezone(zone).isoformat(sep=" ", timespec="seconds")


def main(argv: list[str]) -> None:
    request, target, files = argv
    asked = json.loads(Path(request).read_text())
    render(**asked, files=Path(files), target=Path(target))


if __name__ == "__main__":
    main(sys.argv[1:])
