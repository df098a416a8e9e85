"""The evaluation report as CSV: a name typed into a configuration never becomes a formula."""
import csv
import io

from gateway.evaluation_routes import as_csv, labelled

REPORT = {
    "scope": "all", "period": "2026-11", "first_day": "2026-11-01", "last_day": "2026-11-30",
    "configuration_version": "2026.1", "grade": "A", "total": 91.5,
    "dimensions": [{"id": "service", "name": '=HYPERLINK("http://evil.example","点这里")',
                    "score": -2.5, "weight": 40,
                    "indicators": [{"id": "+cmd", "name": "@SUM(A1:A9)", "unit": "-1+1",
                                    "value": -3, "score": 80, "weight": 50}]}],
    "figures": {"\tdemands": 12},
}


def test_cells_that_would_start_a_formula_are_shown_as_text_and_numbers_stay_numbers():
    rows = list(csv.reader(io.StringIO(as_csv(REPORT, "en").get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点这里")' in cells
    assert "'+cmd" in cells and "'@SUM(A1:A9)" in cells and "'-1+1" in cells and "'\tdemands" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t") ]
    assert "-3" in cells and "-2.5" in cells  # negative figures are numbers, not text


def test_a_report_is_in_chinese_unless_english_is_asked_for_and_custom_names_stay():
    report = labelled({**REPORT, "dimensions": [
        {"id": "timeliness", "name": "Timeliness", "score": 80, "weight": 25, "indicators": [
            {"id": "first_response_hours", "name": "First-response time", "unit": "working hours",
             "value": 1.5, "score": 90, "weight": 2}]},
        {"id": "our_own", "name": "园区特色", "score": 70, "weight": 5, "indicators": []}]}, "zh-CN")
    rows = list(csv.reader(io.StringIO(as_csv(report).get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["部分", "维度", "编号", "名称", "单位", "数值", "得分", "权重"]
    assert rows[1][0] == "总分" and rows[1][4] == "指标配置 2026.1"
    assert rows[2][:4] == ["维度", "timeliness", "timeliness", "服务时效"]
    assert rows[3][3:6] == ["首次响应时长", "工作小时", "1.5"]
    assert rows[4][3] == "园区特色"  # a dimension the configuration added keeps its own name
    english = labelled(report, "en")
    assert english["dimensions"][0]["indicators"][0]["label"] == "First-response time"
