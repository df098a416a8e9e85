"""Equipment sharing over RPC, mixed into the matching service (services/matching/sharing.py)."""
from shared.errors import CLIENT_ERRORS
from shared.rpc import rpc


class SharingRpc:
    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_instrument(self, payload, by):
        return self.application.list_instrument(payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def change_instrument(self, instrument_id, payload, by):
        return self.application.change_instrument(instrument_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def withdraw_instrument(self, instrument_id, payload, by):
        return self.application.withdraw_instrument(instrument_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def get_instrument(self, instrument_id, viewer):
        return self.application.instrument(instrument_id, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def search_instruments(self, query, viewer):
        return self.application.search_instruments(query, viewer)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def book_slot(self, instrument_id, payload, by):
        return self.application.book_slot(instrument_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def confirm_booking(self, booking_id, by):
        return self.application.confirm_booking(booking_id, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def decline_booking(self, booking_id, payload, by):
        return self.application.decline_booking(booking_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def cancel_booking(self, booking_id, payload, by):
        return self.application.cancel_booking(booking_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def record_usage(self, booking_id, payload, by):
        return self.application.record_usage(booking_id, payload, by)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def list_bookings(self, query, viewer, station=None):
        return self.application.bookings(query, viewer, station)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def instrument_utilisation(self, query, viewer, station=None):
        return self.application.utilisation(query, viewer, station)
