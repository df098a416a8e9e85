"""The evaluation report as CSV: a name typed into a configuration never becomes a formula."""
import csv
import io

from gateway.evaluation_routes import as_csv

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
    rows = list(csv.reader(io.StringIO(as_csv(REPORT).get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点这里")' in cells
    assert "'+cmd" in cells and "'@SUM(A1:A9)" in cells and "'-1+1" in cells and "'\tdemands" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t") ]
    assert "-3" in cells and "-2.5" in cells  # negative figures are numbers, not text
