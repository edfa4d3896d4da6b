#!/usr/bin/env python3
"""signals.py HOSTED CHECK -- who may signal the hosted kernel.

  early   the kernel is spawned with SIGUSR1, SIGUSR2, SIGALRM and SIGRTMIN
          blocked (the mask passes through exec) and signals itself before
          exec (pending signals pass through exec too), 100 times, 25 per
          signal: the signal waits for the kernel's handler
          (it blocks them itself before main) and the proof holds, status 0.
          SIGUSR1/2 are external lines (taken, dropped for want of a
          handler); a foreign SIGALRM or SIGRTMIN is refused and reported.
  forged  another process sends 10,000 SIGALRM during --time=real
          --run-for=3: none is ticked (the run still takes 3 s or more), the
          proof holds, and the refusal is reported with a count.
"""
import os
import signal
import subprocess
import sys
import time

hosted, check = sys.argv[1], sys.argv[2]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def verdict(out):
    lines = [l for l in out.splitlines() if l and not l.startswith("#P")]
    return lines


if check == "early":
    sigs = [signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM, signal.SIGRTMIN]
    for i in range(100):
        sig = sigs[i % 4]
        old = signal.pthread_sigmask(signal.SIG_BLOCK, set(sigs))
        # The child signals itself between fork and exec: the signal is
        # pending (blocked) when the kernel starts, however fast its boot
        # (a kill sent after Popen returns can land after a whole boot on
        # a loaded machine). kill() from a process is SI_USER: foreign.
        p = subprocess.Popen([hosted], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE,
                             preexec_fn=lambda: os.kill(os.getpid(), sig))
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        out, err = p.communicate(timeout=60)
        lines = verdict(out.decode())
        if p.returncode != 0:
            fail("run %d (%s): status %d: %s" % (i, sig.name, p.returncode,
                 lines[-1:] or err.decode()))
        if "FULL PROOF SUCCESS" not in lines:
            fail("run %d (%s): no FULL PROOF SUCCESS" % (i, sig.name))
        refused = [l for l in lines if l.startswith("#W hosted: refused")]
        if sig in (signal.SIGALRM, signal.SIGRTMIN):
            if len(refused) != 1 or "refused 1 " not in refused[0]:
                fail("run %d (%s): the foreign signal was not reported as "
                     "refused: %s" % (i, sig.name, refused))
        elif refused:
            fail("run %d (%s): an external line was refused: %s" %
                 (i, sig.name, refused))
    print("ok: 100 early signals waited for their handler; the proof held")
elif check == "forged":
    t0 = time.monotonic()
    p = subprocess.Popen([hosted, "--time=real", "--run-for=3"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.readline()          # the process is running now
    sent = 0
    for _ in range(10000):
        try:
            os.kill(p.pid, signal.SIGALRM)
            sent += 1
        except ProcessLookupError:
            break
    out, err = p.communicate(timeout=60)
    elapsed = time.monotonic() - t0
    lines = verdict(first.decode() + out.decode())
    if p.returncode != 0:
        fail("status %d: %s" % (p.returncode, lines[-1:]))
    if sent != 10000:
        fail("the kernel was gone after %d signals" % sent)
    if elapsed < 3.0:
        fail("the run took %.2f s: forged SIGALRMs drove its clock" % elapsed)
    if "FULL PROOF SUCCESS" not in lines:
        fail("no FULL PROOF SUCCESS")
    refused = [l for l in lines if l.startswith("#W hosted: refused")]
    if len(refused) != 1 or "SIGALRM (timer)" not in refused[0]:
        fail("the forged signals were not reported: %s" % refused)
    if "#V served 300 ticks: raised=0" not in "\n".join(lines):
        fail("the forged signals were taken: %s" % lines[-3:])
    print("ok: %d forged SIGALRM in %.2f s: %s" % (sent, elapsed,
          refused[0]))
else:
    fail("unknown check " + check)
