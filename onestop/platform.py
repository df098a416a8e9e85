"""Every part of the platform, in one place, for the embedded runtime, the CLI and the docs."""
from gateway.service import GatewayService
from services.accounts.application import Accounts
from services.accounts.service import AccountsService
from services.archive.seals import ArchiveSeals
from services.archive.service import ArchiveService
from services.evaluation.application import Evaluation
from services.evaluation.service import EvaluationService
from services.intake.application import Intake
from services.intake.service import IntakeService
from services.matching.application import Matching
from services.matching.service import MatchingService
from services.notices.application import Notices
from services.notices.service import NoticesService
from services.partners.application import PartnerFeed
from services.partners.service import PartnersService

SERVICES = (AccountsService, IntakeService, MatchingService, EvaluationService, ArchiveService,
            PartnersService, NoticesService, GatewayService)

#: The event-sourced applications, whose logs are the platform's source of truth.
APPLICATIONS = (Accounts, Intake, Matching, Evaluation, ArchiveSeals, PartnerFeed, Notices)
