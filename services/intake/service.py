"""The intake nameko service: stations, demands and their time limits; matching followed."""
from services.intake.application import Intake
from shared.errors import CLIENT_ERRORS
from shared.rpc import rpc
from shared.runtime import EventSourced, EventSourcedService, FollowsMatching, every


class IntakeService(EventSourcedService, FollowsMatching):
    name = "intake"
    application = EventSourced(Intake)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_station(self, payload, by):
        return self.application.register_station(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_station(self, station_id):
        return self.application.station(station_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_stations(self, query, viewer):
        return self.application.list_stations(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def station_zones(self):
        return self.application.station_zones()

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def station_requirements(self, station_id, viewer):
        return self.application.requirements(station_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def requirement_file(self, station_id, code, sha256, viewer):
        return self.application.requirement_file(station_id, code, sha256, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def record_requirement(self, station_id, code, payload, by):
        return self.application.record_requirement(station_id, code, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def confirm_requirement(self, station_id, code, payload, by):
        return self.application.confirm_requirement(station_id, code, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def add_specialist(self, station_id, payload, by):
        return self.application.add_specialist(station_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def remove_specialist(self, station_id, staff_id, payload, by):
        return self.application.remove_specialist(station_id, staff_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def store_attachment(self, incoming, name, media_type, by):
        return self.application.store_attachment(incoming, name, media_type, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def submit_demand(self, payload, by, idempotency_key=None):
        return self.application.submit_demand(payload, by, idempotency_key)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_demand(self, demand_id, viewer):
        return self.application.demand(demand_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_demands(self, query, viewer):
        return self.application.list_demands(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def assess(self, demand_id, payload, by):
        return self.application.assess(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def supply_information(self, demand_id, payload, by):
        return self.application.supply_information(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def withdraw(self, demand_id, payload, by):
        return self.application.withdraw(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def cancel(self, demand_id, payload, by):
        return self.application.cancel(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def record_follow_up(self, demand_id, payload, by):
        return self.application.record_follow_up(demand_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_station_settings(self, station_id, payload, by):
        return self.application.change_station_settings(station_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def offered_requests(self, demand_ids):
        return self.application.offered_requests(demand_ids)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def hall_requests(self, demand_ids):
        return self.application.hall_requests(demand_ids)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def downloadable(self, demand_id, sha256, viewer):
        return self.application.downloadable(demand_id, sha256, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def staff_station(self, staff_id):
        return self.application.staff_station(staff_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def attachment(self, sha256, uploader):
        return self.application.attachment(sha256, uploader)

    # The metrology register (services/intake/metrology_register.py)
    @rpc(expected_exceptions=CLIENT_ERRORS)
    def open_instrument_register(self, payload, by):
        return self.application.open_instrument_register(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def instrument_register(self, query, viewer):
        return self.application.instrument_register(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_instrument_registers(self, query, viewer):
        return self.application.list_instrument_registers(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def register_instrument(self, payload, by):
        return self.application.register_instrument(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_instrument(self, instrument_id, payload, by):
        return self.application.change_instrument(instrument_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def retire_instrument(self, instrument_id, payload, by):
        return self.application.retire_instrument(instrument_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def request_verification(self, instrument_id, payload, by):
        return self.application.request_verification(instrument_id, payload, by)

    @every("METROLOGY.check_interval", 3600)
    def check_instruments_due(self):
        self.application.check_instruments_due()

    # The service catalogue (services/intake/catalogue.py)
    @rpc(expected_exceptions=CLIENT_ERRORS)
    def service_catalogue(self):
        return self.application.service_catalogue()

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def catalogue_history(self):
        return self.application.catalogue_history()

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def publish_catalogue(self, payload, by):
        return self.application.publish_catalogue(payload, by)

    @every("ATTACHMENTS.sweep_interval", 3600)
    def remove_unreferenced_attachments(self):
        self.application.remove_unreferenced_attachments()

    @every("DEADLINES.check_interval", 30)
    def check_deadlines(self):
        self.application.check_deadlines()
