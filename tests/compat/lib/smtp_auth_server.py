# An SMTP server that requires AUTH (PLAIN or LOGIN) before it accepts mail, writing what it
# accepts into a Maildir: for the tests of orgd's --smtp-user/--smtp-password-file. Debian's
# python3-aiosmtpd; loopback only. Usage: smtp_auth_server.py PORT MAILDIR USER PASSWORD
import signal
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

port, maildir, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
          and auth_data.password.decode() == password)
    return AuthResult(success=ok)


controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=port,
                        authenticator=authenticate, auth_required=True, auth_require_tls=False)
controller.start()
print("ready", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
