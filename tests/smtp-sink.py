#!/usr/bin/env python3
"""smtp-sink.py: a real SMTP server for the mail tests (aiosmtpd, Debian's
python3-aiosmtpd). Listens on 127.0.0.1 on a free port, prints the port on
the first line of stdout, and writes every message it accepts to OUTDIR as
NNNN.json: the envelope, the headers and the body as Python's own e-mail
parser decodes them (an independent check of Joren's MIME encoding): the
text part as "body", each attached file as {filename, content_type, data
in base64}, and the raw bytes. Recipients starting with "refuse" get 550,
like a mailbox that does not exist.

    smtp-sink.py OUTDIR
"""
import asyncio
import base64
import json
import os
import socket
import sys
from email import message_from_bytes, policy

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        self.count += 1
        text = message.get_body(preferencelist=("plain",))
        attachments = [
            {
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "data": base64.b64encode(part.get_content()).decode("ascii"),
            }
            for part in message.iter_attachments()
        ]
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "to": str(message["To"]),
            "from": str(message["From"]),
            "subject": str(message["Subject"]),
            "list_unsubscribe": str(message.get("List-Unsubscribe", "")),
            "content_type": message.get_content_type(),
            "charset": text.get_content_charset() if text else None,
            "body": text.get_content() if text else "",
            "attachments": attachments,
            "raw": raw.decode("ascii", "replace"),
        }
        path = os.path.join(self.outdir, "%04d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.rename(path + ".tmp", path)  # readers never see half a file
        return "250 Message accepted"


async def serve(outdir):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    handler = Sink(outdir)
    await loop.create_server(lambda: SMTP(handler, hostname="sink.test"), sock=sock)
    print(sock.getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
