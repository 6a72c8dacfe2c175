// The werift DTLS client of the test and bench peers: a workaround for a werift bug that failed
// bench participants during join storms, and the faults tests inject to see what the SFU does
// with a participant whose DTLS never comes up.
//
// The bug (werift 0.24.4, dtls/src/flight/client/flight3): the client retransmits its first
// ClientHello after 0.5 s, then 1 s, ... until a HelloVerifyRequest arrives. A server busy for
// longer than that (the SFU thread renegotiating everyone during a join storm; its first
// ClientHello is often dropped because the server's DTLS only starts once its ICE connected)
// answers each queued ClientHello, as RFC 6347 has it (the request is stateless). The client
// handles the second HelloVerifyRequest by running flight 3 again, which throws when flight 3
// already ran: its DTLS transport is "failed" while ICE stays connected and the server's DTLS
// side finishes ("connected"), so the client sends no RTP (werift drops it silently) and the SFU
// sees a silent participant. Browsers' DTLS stacks ignore such a repeat; this does the same.
import type { RTCDtlsTransport, RTCPeerConnection } from "werift";

/** What to do with a peer's DTLS: the real handshake, none at all, or see each HelloVerifyRequest twice. */
export type DtlsFault = "none" | "never" | "repeatHelloVerify";

const HELLO_VERIFY_REQUEST = 3;

interface DtlsSocketInternals {
  dtls: { flight: number };
  onHandleHandshakes: (assembled: { msg_type: number }[]) => Promise<void>;
  transport: { socket: { onData: (buf: Buffer) => void } };
}

interface PatchedTransport {
  start(): Promise<void>;
  role: string;
  dtls?: DtlsSocketInternals;
  voicePeerPatched?: boolean;
}

/** A DTLS record carrying a HelloVerifyRequest: handshake content (22), epoch 0, msg_type at byte 13. */
function isHelloVerify(buf: Buffer): boolean {
  return buf.length > 13 && buf[0] === 22 && buf.readUInt16BE(3) === 0 && buf[13] === HELLO_VERIFY_REQUEST;
}

/** Install the workaround (and the fault, if any) on a transport before it starts. */
export function prepareDtls(transport: RTCDtlsTransport, fault: DtlsFault): void {
  const t = transport as unknown as PatchedTransport;
  if (t.voicePeerPatched) return;
  t.voicePeerPatched = true;
  const start = t.start.bind(t);
  t.start = () => {
    // ICE connects and keeps its consent checks going; DTLS never says a word.
    if (fault === "never") return new Promise<void>(() => {});
    const started = start();
    // start() creates werift's DtlsClient synchronously and sends its first flight 100 ms later.
    const socket = t.dtls;
    if (socket && t.role === "client") {
      const handle = socket.onHandleHandshakes;
      socket.onHandleHandshakes = (assembled) =>
        handle(socket.dtls.flight >= 3 ? assembled.filter((h) => h.msg_type !== HELLO_VERIFY_REQUEST) : assembled);
      if (fault === "repeatHelloVerify") {
        const receive = socket.transport.socket.onData;
        socket.transport.socket.onData = (buf) => {
          receive(buf);
          if (isHelloVerify(buf)) receive(buf);
        };
      }
    }
    return started;
  };
}

/**
 * Say close_notify over the peer's ICE connection, as a DTLS endpoint closing its session does,
 * while ICE (and its consent checks) carries on: a warning-level alert record in epoch 0, which
 * werift's DTLS takes as a close without decrypting it.
 */
export async function closeDtls(pc: RTCPeerConnection): Promise<void> {
  const record = Buffer.from([21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0, 2, 1, 0]);
  for (const t of pc.iceTransports) await t.connection.send(record);
}
