"""Webhook posts that cannot be turned inward (services/partners/outbound.py), on real sockets
and real TLS: every spelling of an inside address is refused before any connection; a post
goes to the address that was checked, with the URL's name as Host and SNI and the certificate
verified against that name; redirects are answers, not followed; failures are told in words
that name nothing of the inside network."""
import datetime
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.partners.outbound import DeliveryFailed, DestinationRefused, Outbound

HOSTILE = [
    "https://127.0.0.1/hook", "https://127.1/hook", "https://2130706433/hook",
    "https://0x7f000001/hook", "https://0x7f.1/hook", "https://0177.0.0.1/hook",
    "https://localhost/hook", "https://LOCALHOST./hook", "https://0.0.0.0/hook", "https://0/hook",
    "https://[::1]/hook", "https://[::]/hook", "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:7f00:1]/hook", "https://[0:0:0:0:0:ffff:a9fe:a9fe]/hook",
    "https://[64:ff9b::7f00:1]/hook", "https://[2002:7f00:1::]/hook",
    "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",  # Teredo carrying 127.0.0.1
    "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/hook", "https://[fd00::1]/hook",
    "https://10.0.0.1/hook", "https://172.16.5.4/hook", "https://192.168.1.1/hook",
    "https://100.64.0.1/hook", "https://198.18.0.1/hook", "https://224.0.0.1/hook",
    "https://[ff02::1]/hook", "https://255.255.255.255/hook",
    "https://rabbitmq.onestop.svc.cluster.local:15672/api/", "https://no-such-host.invalid/hook",
    "https://lab.example@127.0.0.1/hook", "https://user:pw@93.184.215.14/hook",
    "http://93.184.215.14/hook", "ftp://93.184.215.14/hook", "https://bad_host!/hook",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_inside_and_malformed_destinations_are_refused_before_any_connection(url):
    with pytest.raises(DestinationRefused):
        Outbound().destination(url)
    with pytest.raises(DestinationRefused):  # at delivery too: checked again each time
        Outbound().post(url, b"{}", {})


@pytest.fixture
def inside():
    """A listener on this machine that counts every connection made to it."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            accepted.append(connection)
            connection.close()
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join()
    listener.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1",
                                  "localhost", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0"])
def test_no_connection_reaches_a_server_on_this_machine_in_any_spelling(inside, host):
    port, accepted = inside
    for url in (f"https://{host}:{port}/hook", f"http://{host}:{port}/hook"):
        with pytest.raises(DestinationRefused):
            Outbound(allow_http=True).post(url, b"{}", {})
    # The same server is reached when this machine is let through: the count above means it.
    Outbound(allowed_networks=["127.0.0.0/8"], allow_http=True).destination(f"http://127.0.0.1:{port}/")
    with pytest.raises(DeliveryFailed):  # it accepts and closes: no HTTP answer
        Outbound(allowed_networks=["127.0.0.0/8"], allow_http=True).post(
            f"http://127.0.0.1:{port}/", b"{}", {})
    assert len(accepted) == 1


def test_public_addresses_are_accepted_and_pinned():
    found = Outbound().destination("https://93.184.215.14:8443/in?kind=onestop")
    assert (found.address, found.port, found.target) == ("93.184.215.14", 8443, "/in?kind=onestop")
    assert Outbound().destination("https://[2606:4700:4700::1111]/").address == "2606:4700:4700::1111"
    # A name is judged by what it resolves to, every address of it.
    assert Outbound(resolve=lambda host, port: ["93.184.215.14"]).destination(
        "https://hooks.example.org/").address == "93.184.215.14"
    with pytest.raises(DestinationRefused):
        Outbound(resolve=lambda host, port: ["93.184.215.14", "10.1.2.3"]).destination(
            "https://hooks.example.org/")
    # An operator's allowed range lets a private address through, and only that range.
    allowed = Outbound(allowed_networks=["10.8.0.0/16"])
    assert allowed.destination("https://10.8.1.2/").address == "10.8.1.2"
    with pytest.raises(DestinationRefused):
        allowed.destination("https://10.9.1.2/")


# A real HTTPS receiver on this machine, with a certificate for a name ---------------------
def certificate(name: str, issuer_key, issuer_name, key, ca=False):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name or subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture
def tls(tmp_path):
    """A test CA, and a key and certificate it signed for a given name."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("onestop test CA", ca_key, None, ca_key, ca=True)
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))

    def for_name(name):
        key = ec.generate_private_key(ec.SECP256R1())
        leaf = certificate(name, ca_key, ca.subject, key)
        path = tmp_path / f"{name}.pem"
        path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        return path
    for_name.ca = str(tmp_path / "ca.pem")
    return for_name


class Receiver:
    """Records each request (path, Host, SNI, body) and answers ``status`` (with ``location``)."""

    def __init__(self, cert_file=None, status=204, location=None):
        self.requests, self.names = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, self.headers["Host"], body))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if cert_file:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_file)
            context.sni_callback = lambda sock, name, ctx: receiver.names.append(name)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    started = []

    def start(*args, **kwargs):
        started.append(Receiver(*args, **kwargs))
        return started[-1]
    yield start
    for receiver in started:
        receiver.stop()


def this_machine(tls, resolved=("127.0.0.1",)):
    """As a deployment would be, but for the one range let through: this machine's."""
    return Outbound(allowed_networks=["127.0.0.0/8"], ca_bundle=tls.ca,
                    resolve=lambda host, port: list(resolved))


def test_a_post_goes_to_the_checked_address_with_the_name_as_host_sni_and_certificate(
        tls, receivers):
    receiver = receivers(tls("hooks.example.test"))
    outbound = this_machine(tls)
    url = f"https://hooks.example.test:{receiver.port}/onestop/in?from=platform"
    assert outbound.post(url, b'{"n": 1}', {"Content-Type": "application/json"}) == 204
    assert receiver.requests == [("/onestop/in?from=platform", f"hooks.example.test:{receiver.port}",
                                  b'{"n": 1}')]
    assert receiver.names == ["hooks.example.test"]

    # The same receiver reached under a name its certificate does not carry: refused in TLS.
    with pytest.raises(DeliveryFailed, match="certificate"):
        outbound.post(f"https://other.example.test:{receiver.port}/", b"{}", {})
    assert len(receiver.requests) == 1


def test_a_name_that_resolves_inside_at_delivery_is_refused_though_it_passed_before(tls, receivers):
    """DNS rebinding: the name's owner answers a public address at registration, then this
    machine's; the post is refused and nothing reaches the inside receiver."""
    inside = receivers(tls("hooks.example.test"))
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])
    outbound = Outbound(ca_bundle=tls.ca, resolve=lambda host, port: next(answers))
    url = f"https://hooks.example.test:{inside.port}/"
    outbound.destination(url)  # registration: public
    with pytest.raises(DestinationRefused):
        outbound.post(url, b"{}", {})
    assert inside.requests == []


def test_redirects_are_not_followed_and_failures_name_nothing_inside(tls, receivers):
    internal = receivers()  # plain http on this machine, as a management API would be
    redirecting = receivers(tls("hooks.example.test"), status=307,
                            location=f"http://127.0.0.1:{internal.port}/api/definitions")
    outbound = this_machine(tls)
    assert outbound.post(f"https://hooks.example.test:{redirecting.port}/", b"{}", {}) == 307
    assert len(redirecting.requests) == 1 and internal.requests == []

    closed = redirecting.port
    redirecting.stop()
    with pytest.raises(DeliveryFailed) as failed:
        outbound.post(f"https://hooks.example.test:{closed}/", b"{}", {})
    assert str(failed.value) == "could not connect"
    assert "127.0.0.1" not in str(failed.value) and str(closed) not in str(failed.value)

