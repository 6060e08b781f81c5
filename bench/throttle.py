"""A TCP proxy that limits bandwidth, for bench/sync: a field laptop's
slow link (256 kbit/s by default, each way), and a count of the bytes that
crossed it each way.

    python3 bench/throttle.py TARGET_HOST:PORT COUNTS_FILE [BITS_PER_SECOND]

Prints the port it listens on (127.0.0.1), then serves until killed. After
each connection closes it writes "up down" (bytes from the client, bytes
to it, since it started) to COUNTS_FILE.
"""
import asyncio
import sys
import time

target_host, target_port = sys.argv[1].rsplit(":", 1)
counts_file = sys.argv[2]
rate = int(sys.argv[3]) if len(sys.argv) > 3 else 256_000
totals = {"up": 0, "down": 0}
CHUNK = 1024


class Link:
    """One direction of the link: a token bucket of `rate` bits a second,
    shared by every connection, as one radio link would be."""

    def __init__(self):
        self.free_at = time.monotonic()

    async def pace(self, n):
        now = time.monotonic()
        start = max(now, self.free_at)
        self.free_at = start + n * 8 / rate
        await asyncio.sleep(self.free_at - now)


links = {"up": Link(), "down": Link()}


async def pipe(reader, writer, way):
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            await links[way].pace(len(data))
            totals[way] += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_connection(target_host, int(target_port))
    await asyncio.gather(
        pipe(client_reader, server_writer, "up"),
        pipe(server_reader, client_writer, "down"),
    )
    with open(counts_file, "w") as f:
        f.write(f"{totals['up']} {totals['down']}\n")


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
