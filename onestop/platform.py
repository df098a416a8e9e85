"""Every part of the platform, in one place, for the embedded runtime, the CLI and the docs."""
from gateway.service import GatewayService
from services.archive.service import ArchiveService
from services.evaluation.application import Evaluation
from services.evaluation.service import EvaluationService
from services.intake.application import Intake
from services.intake.service import IntakeService
from services.matching.application import Matching
from services.matching.service import MatchingService

SERVICES = (IntakeService, MatchingService, EvaluationService, ArchiveService, GatewayService)

#: The event-sourced applications, whose logs are the platform's source of truth.
APPLICATIONS = (Intake, Matching, Evaluation)
