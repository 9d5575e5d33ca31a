#!/usr/bin/env python3
"""The test bed's slow switch: netem's "delay D loss P" for a kernel built without netem (sch_netem).

Runs in the switch namespace on the machines' links (taken off the bridge): every Ethernet frame that arrives on one
link is sent on, after DELAY_MS, to the link of the machine that owns the destination address (learnt from the
frames' source addresses; broadcasts and unknown destinations to every other link), except one in 100/LOSS_PERCENT,
drawn at random, which is dropped. Frames keep their order per link. Offloads must be off on the links (the test bed
turns them off with ethtool): a raw socket sees a frame as the kernel holds it, with TCP segments not yet cut and
checksums not yet filled in.

usage: slow-switch.py DELAY_MS LOSS_PERCENT LINK... ; stops on SIGTERM; prints "ready" once it listens.
"""
import heapq
import random
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main():
    delay = float(sys.argv[1]) / 1000.0
    loss = float(sys.argv[2]) / 100.0
    links = sys.argv[3:]
    sockets = {}
    for link in links:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((link, 0))
        s.setblocking(False)
        sockets[s.fileno()] = (link, s)
    owner = {}  # MAC address -> link
    pending = []  # (due, sequence, link, frame)
    sequence = 0
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    print("ready", flush=True)
    by_link = {link: s for (link, s) in sockets.values()}
    while running[0]:
        timeout = max(0.0, pending[0][0] - time.monotonic()) if pending else 0.5
        readable, _, _ = select.select(list(sockets), [], [], timeout)
        now = time.monotonic()
        for fd in readable:
            link, s = sockets[fd]
            while True:
                try:
                    frame, address = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if address[2] == PACKET_OUTGOING or len(frame) < 14:
                    continue
                owner[frame[6:12]] = link
                if random.random() < loss:
                    continue
                target = owner.get(frame[0:6])
                for out in ([target] if target is not None and target != link else
                            [l for l in links if l != link]):
                    sequence += 1
                    heapq.heappush(pending, (now + delay, sequence, out, frame))
        while pending and pending[0][0] <= time.monotonic():
            _, _, out, frame = heapq.heappop(pending)
            try:
                by_link[out].send(frame)
            except OSError:
                pass  # a link that is down (a partitioned machine) loses what was in flight, as a cable would


if __name__ == "__main__":
    main()
