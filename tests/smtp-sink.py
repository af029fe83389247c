#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real SMTP server for the tests (aiosmtpd, which nobody here wrote) on
# 127.0.0.1. Each message it accepts becomes FOLDER/NNNN.json: the envelope,
# the sign-in used, and the message as Python's email package reads it
# (subject decoded and raw, every text part decoded, any defects found).
#
#   smtp-sink.py FOLDER PORT [USER:PASSWORD]
#
# PORT 0 picks a free one. Prints "listening on PORT" once it accepts. With
# USER:PASSWORD, AUTH PLAIN/LOGIN is offered without TLS (loopback only)
# and only that user name and password get in. Recipients whose address
# starts with "ditolak" are refused for good (550).

import asyncio
import email
import json
import os
import sys
import warnings
from email import policy

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, folder):
        self.folder = folder

    def write(self, record):
        count = len([n for n in os.listdir(self.folder) if n.endswith('.json')])
        path = os.path.join(self.folder, '%04d.json' % (count + 1))
        with open(path + '.tmp', 'w', encoding='utf-8') as f:
            json.dump(record, f, ensure_ascii=False, indent=1)
        os.rename(path + '.tmp', path)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, for good.
        if address.startswith('ditolak'):
            return '550 5.1.1 No such mailbox here'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        raw_headers = email.message_from_bytes(raw, policy=policy.compat32)
        defects = [type(d).__name__ for d in message.defects]
        parts = []
        for part in message.walk():
            defects += [type(d).__name__ for d in part.defects]
            if part.is_multipart():
                continue
            parts.append({
                'content_type': part.get_content_type(),
                'charset': part.get_content_charset(),
                'language': part.get('Content-Language'),
                'disposition': part.get_content_disposition(),
                'transfer_encoding': part.get('Content-Transfer-Encoding'),
                'text': part.get_content(),
            })
        self.write({
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'login': session.auth_data.login.decode() if session.auth_data else None,
            'subject': str(message['Subject']),
            'raw_subject': raw_headers['Subject'],
            'from': str(message['From']),
            'to': str(message['To']),
            'date': str(message['Date']),
            'date_valid': message['Date'] is not None and message['Date'].datetime is not None,
            'message_id': str(message['Message-ID']),
            'mime_version': message['MIME-Version'],
            'auto_submitted': message['Auto-Submitted'],
            'content_type': message.get_content_type(),
            'bare_lf': b'\n' in raw.replace(b'\r\n', b''),
            'parts': parts,
            'defects': defects,
        })
        return '250 OK'


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, auth_data=auth_data)
    return authenticate


async def main():
    # Plain-text AUTH is the point here (loopback); aiosmtpd warns of it.
    warnings.simplefilter('ignore')
    folder, port = sys.argv[1], int(sys.argv[2])
    credentials = sys.argv[3].split(':', 1) if len(sys.argv) > 3 else None
    sink = Sink(folder)

    def factory():
        if credentials:
            return SMTP(sink, hostname='localhost', authenticator=authenticator_for(*credentials),
                        auth_required=True, auth_require_tls=False)
        return SMTP(sink, hostname='localhost')

    server = await asyncio.get_running_loop().create_server(factory, '127.0.0.1', port, reuse_address=True)
    print('listening on %d' % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


asyncio.run(main())
