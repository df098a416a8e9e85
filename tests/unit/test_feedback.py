"""Feedback on completed services, and the satisfaction rate it feeds back into matching."""
import pytest

from shared.errors import Conflict, Forbidden, Invalid, NotFound
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SCORES = {"overall": 4, "timeliness": 5, "professionalism": 4, "attitude": 5, "outcome": 3}


def completed_for(platform, enterprise_code, lab):
    intake, matching = platform.apps["intake"], platform.apps["matching"]
    owner = {"role": "enterprise", "subject": enterprise_code}
    demand = intake.submit_demand(factories.demand(enterprise_code), owner)
    platform.settle()
    (assignment,) = [a for a in matching.assignments({"role": "institution", "subject": lab["id"]})["items"]
                     if a["demand_id"] == demand["id"]]
    matching.complete_service(assignment["assignment_id"], {"report_number": "R-1"},
                              {"role": "institution", "subject": lab["id"]})
    platform.settle()
    return demand, owner


def test_the_enterprise_rates_a_completed_service_once_and_matching_weighs_it(platform):
    matching, evaluation = platform.apps["matching"], platform.apps["evaluation"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    code = factories.credit_code()
    demand, owner = completed_for(platform, code, lab)

    given = evaluation.give_feedback(demand["id"], {**SCORES, "comment": "Quick and clear"}, owner)
    assert given["scores"] == SCORES and given["institution_id"] == lab["id"]
    with pytest.raises(Conflict) as refused:
        evaluation.give_feedback(demand["id"], SCORES, owner)
    assert refused.value.details == {"current_status": "rated"}
    platform.settle()
    assert matching.institution(lab["id"])["satisfaction"] == 0.8  # overall 4 of 5
    second, _ = completed_for(platform, code, lab)
    evaluation.give_feedback(second["id"], {**SCORES, "overall": 2}, owner)
    platform.settle()
    assert matching.institution(lab["id"])["satisfaction"] == 0.6  # mean 3 of 5
    matching.registry.refresh()
    assert matching.registry.profiles[lab["id"]].satisfaction == 0.6
    names = [e["name"] for e in platform.archive.dossier(demand["id"])["events"]]
    assert names[-1] == "FeedbackGiven" and "ServiceCaseOpened" not in names


def test_who_may_rate_and_when(platform):
    matching, evaluation, intake = (platform.apps[s] for s in ("matching", "evaluation", "intake"))
    lab = matching.register_institution(factories.institution(auto_accept_offers=False), SPECIALIST, station=factories.PANYU)
    code = factories.credit_code()
    owner = {"role": "enterprise", "subject": code}
    pending = intake.submit_demand(factories.demand(code), owner)
    platform.settle()
    with pytest.raises(Conflict) as refused:
        evaluation.give_feedback(pending["id"], SCORES, owner)
    assert refused.value.details == {"current_status": "not completed"}
    with pytest.raises(NotFound):
        evaluation.give_feedback(pending["id"], SCORES, {"role": "enterprise",
                                                         "subject": factories.credit_code()})
    with pytest.raises(Forbidden):
        evaluation.give_feedback(pending["id"], SCORES, {"role": "institution", "subject": lab["id"]})
    with pytest.raises(Invalid) as refused:
        evaluation.give_feedback(pending["id"], {**SCORES, "channel": "revisit_phone"}, owner)
    assert set(refused.value.fields) == {"channel"}
    with pytest.raises(Invalid) as refused:
        evaluation.give_feedback(pending["id"], {**SCORES, "overall": 6, "attitude": "5"}, owner)
    assert set(refused.value.fields) == {"overall", "attitude"}
