/*
 * Hosted interrupts: POSIX signals stand in for interrupt lines.
 *
 *   SIGALRM   HAL_IRQ_TIMER (the kernel's own timer: see "Who may raise")
 *   SIGRTMIN  HAL_IRQ_SOFT  (hal_irq_raise_soft sends it to this thread)
 *   SIGUSR1   HAL_IRQ_EXT0  (kill -USR1 <pid> from a shell)
 *   SIGUSR2   HAL_IRQ_EXT1
 *
 * One host thread. "Interrupts disabled" is a flag, not a syscall. The
 * signal handler plays the interrupt controller: it decides whether the
 * signal is a real interrupt (below), counts it as taken (hal_irq_taken)
 * and adds it to its line's pending count, and nothing more (lock-free
 * atomics, async-signal-safe). Pending lines are dispatched to the kernel's
 * handlers when the flag is cleared and inside hal_wait_irq, which blocks
 * the signals, looks for pending work and otherwise waits with sigsuspend,
 * which unblocks and sleeps atomically, so no wake-up is lost.
 *
 * Who may raise a line. Every interrupt is a real signal through this
 * handler; what differs is who may send it:
 *   - the timer, in real time, only the kernel's own interval timer
 *     (setitimer: si_code SI_KERNEL, which no other process can forge);
 *     in virtual time, only this HAL, which raises SIGALRM on this thread
 *     (tgkill: si_code SI_TKILL and our pid) when virtual time reaches the
 *     next tick, and only as many as it raised;
 *   - the software line, only this HAL, likewise;
 *   - the external lines, anyone (that is what they are for), except
 *     during a replay, which raises them itself.
 * Any other signal on a line is refused: counted (hosted_irq_refused),
 * never taken, never ticked. One subtlety: a standard signal is pending at
 * most once, so a tick of our timer that fires while a forged SIGALRM is
 * pending is merged into it and arrives with the forger's siginfo; the
 * handler sees that our timer has expired with no SIGALRM left pending and
 * takes the tick (tick_merged), so forgery can delay a tick, not drop it.
 *
 * The timer raises one tick at a time: the next is armed when the last has
 * been dispatched, and not while the line is masked (it is armed again on
 * unmask), so a masked timer never has a tick taken and left undispatched,
 * in either time mode. In real time the ticks keep to their schedule
 * (deadlines a period apart on CLOCK_MONOTONIC, missed ones skipped).
 *
 * Virtual time (the default): the timer is a deadline on a virtual clock
 * that advances only when the kernel waits, straight to the next deadline,
 * so a run is deterministic and faster than real time.
 *
 * Every place the kernel can take interrupts is a numbered dispatch point.
 * --irq-record writes, for every timer and external interrupt dispatched,
 * the point and the line; --irq-replay raises exactly those again at the
 * same points (and takes no other timer or external signals), which
 * reproduces the run's channel-0 output byte for byte. Software interrupts
 * need no record: the kernel raises them itself, deterministically.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cellos/errors.h"
#include "cellos/exit.h"
#include "hal.h"
#include "hosted.h"

struct line {
	hal_irq_handler_t handler;
	void *ctx;
	int masked;
};

static struct line lines[HAL_IRQ_LINES];
static _Atomic uint32_t pending[HAL_IRQ_LINES]; /* taken, not dispatched */
static _Atomic uint64_t taken[HAL_IRQ_LINES];
static _Atomic uint32_t owed[HAL_IRQ_LINES]; /* raised here, not yet taken */
static _Atomic uint64_t refused[HAL_IRQ_LINES];
static _Atomic int refused_pid; /* sender of the last refused */
static int disabled = 1;        /* the CPU starts with interrupts off */
static int installed;
static sigset_t irq_signals; /* the four signals above */
static pid_t self_pid, self_tid;

static enum hosted_time time_mode = HOSTED_TIME_VIRTUAL;
static uint32_t timer_hz;                /* 0: the timer is stopped */
static uint64_t timer_ticks;             /* ticks dispatched */
static uint64_t vclock_ns, vdeadline_ns; /* virtual time */
static uint64_t rdeadline_ns;            /* real time: the next tick's */
static int armed;                        /* real time: a tick is on its way */
static _Atomic int tick_due; /* ... and the handler has not taken it */

static uint64_t dispatch_point; /* dispatch opportunities so far */
static FILE *record_file;
static struct hosted_irq_event *replay; /* the schedule being replayed */
static size_t replay_len, replay_next;
static int replaying;
static const struct hosted_irq_event *extra; /* injected on top (fuzzing) */
static size_t extra_len, extra_next;

static const int line_signal_base[HAL_IRQ_LINES] = { SIGALRM,
	0 /* SIGRTMIN, not a constant */, SIGUSR1, SIGUSR2 };

static int
line_signal(unsigned line)
{
	return line == HAL_IRQ_SOFT ? SIGRTMIN : line_signal_base[line];
}

/* Take one of line's owed self-raised signals, if it has any. */
static int
take_owed(unsigned line)
{
	uint32_t n = atomic_load(&owed[line]);

	while (n > 0) {
		if (atomic_compare_exchange_weak(&owed[line], &n, n - 1))
			return 1;
	}
	return 0;
}

/*
 * A SIGALRM from someone else, in real time, while our one-shot timer is
 * due: if the timer has expired and no SIGALRM is pending now, the kernel
 * merged our tick into this signal (a standard signal is pending at most
 * once, with the first sender's siginfo), so this delivery is the tick
 * too. Async-signal-safe: two system calls and an atomic.
 */
static int
tick_merged(void)
{
	struct itimerval left;
	sigset_t now;

	if (!atomic_load(&tick_due) || getitimer(ITIMER_REAL, &left) != 0 ||
	    left.it_value.tv_sec != 0 || left.it_value.tv_usec != 0 ||
	    sigpending(&now) != 0 || sigismember(&now, SIGALRM))
		return 0;
	return atomic_exchange(&tick_due, 0);
}

/* Whether this signal on line is an interrupt (see "Who may raise"). */
static int
trusted(unsigned line, const siginfo_t *si)
{
	if (si->si_code == SI_TKILL && si->si_pid == self_pid)
		return take_owed(line);
	switch (line) {
	case HAL_IRQ_TIMER:
		if (time_mode != HOSTED_TIME_REAL || replaying)
			return 0;
		if (si->si_code == SI_KERNEL) {
			atomic_store(&tick_due, 0);
			return 1;
		}
		return 0;
	case HAL_IRQ_SOFT:
		return 0;
	default:
		return !replaying;
	}
}

static void
on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		if (line_signal(l) != sig)
			continue;
		if (!trusted(l, si)) {
			atomic_fetch_add(&refused[l], 1);
			atomic_store(&refused_pid, (int)si->si_pid);
			if (l != HAL_IRQ_TIMER ||
			    time_mode != HOSTED_TIME_REAL || replaying ||
			    !tick_merged())
				return;
			/* the refused signal carried our tick as well: take it */
		}
		atomic_fetch_add(&taken[l], 1);
		atomic_fetch_add(&pending[l], 1);
		return;
	}
}

/* Raise line's signal on this thread, as this HAL's own interrupt. */
static int
raise_line(unsigned line)
{
	atomic_fetch_add(&owed[line], 1);
	if (syscall(SYS_tgkill, self_pid, self_tid, line_signal(line)) != 0) {
		(void)take_owed(line);
		return -CELL_E_IO;
	}
	return 0;
}

void
hosted_irq_block_early(void)
{
	sigset_t set;

	sigemptyset(&set);
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
		sigaddset(&set, line_signal(l));
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/*
 * Install the handlers once, then unblock the signals: one that came
 * before (hosted_irq_block_early held it) is delivered now, through the
 * handler, like any other.
 */
static void
install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	self_pid = getpid();
	self_tid = (pid_t)syscall(SYS_gettid);
	sigemptyset(&irq_signals);
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
		sigaddset(&irq_signals, line_signal(l));
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_mask = irq_signals; /* handlers never nest */
	sa.sa_flags = SA_RESTART | SA_SIGINFO;
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
		sigaction(line_signal(l), &sa, NULL);
	installed = 1;
	sigprocmask(SIG_UNBLOCK, &irq_signals, NULL);
}

void
hosted_irq_configure(enum hosted_time mode, FILE *record,
    struct hosted_irq_event *schedule, size_t schedule_len)
{
	time_mode = mode;
	record_file = record;
	replay = schedule;
	replay_len = schedule_len;
	replay_next = 0;
	replaying = schedule != NULL;
	if (record_file != NULL)
		fprintf(record_file, "%s\n", HOSTED_IRQ_RECORD_MAGIC);
	install();
}

void
hosted_irq_reset(void)
{
	hal_timer_stop();
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		lines[l] = (struct line){ NULL, NULL, 0 };
		atomic_store(&pending[l], 0);
		atomic_store(&taken[l], 0);
		atomic_store(&owed[l], 0);
	}
	disabled = 1;
	timer_ticks = 0;
	vclock_ns = vdeadline_ns = 0;
	dispatch_point = 0;
	replay_next = 0;
	extra_next = 0;
}

void
hosted_irq_inject(const struct hosted_irq_event *events, size_t count)
{
	extra = events;
	extra_len = count;
	extra_next = 0;
}

int
hosted_irq_replay_done(void)
{
	return replay_next == replay_len;
}

uint64_t
hosted_irq_refused(unsigned line, int *last_pid)
{
	if (last_pid != NULL)
		*last_pid = atomic_load(&refused_pid);
	return line < HAL_IRQ_LINES ? atomic_load(&refused[line]) : 0;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Real time: arm the one-shot interval timer for the next deadline. */
static void
arm_real_tick(void)
{
	uint64_t now = now_ns(), period = 1000000000ull / timer_hz, wait;
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	if (rdeadline_ns <= now)
		rdeadline_ns = now + period; /* missed ticks are skipped */
	wait = (rdeadline_ns - now + 999) / 1000;
	it.it_value.tv_sec = (time_t)(wait / 1000000);
	it.it_value.tv_usec = (suseconds_t)(wait % 1000000);
	atomic_store(&tick_due, 1);
	armed = setitimer(ITIMER_REAL, &it, NULL) == 0;
	if (!armed)
		atomic_store(&tick_due, 0);
}

/* After a tick or an unmask: the next tick, when the timer may take one. */
static void
next_tick(void)
{
	if (time_mode != HOSTED_TIME_REAL || replaying || timer_hz == 0 ||
	    lines[HAL_IRQ_TIMER].masked || armed)
		return;
	arm_real_tick();
}

/* Raise the replayed and injected interrupts that belong to this point. */
static void
raise_scheduled(void)
{
	while (replaying && replay_next < replay_len &&
	    replay[replay_next].point == dispatch_point)
		(void)raise_line(replay[replay_next++].line);
	while (extra_next < extra_len &&
	    extra[extra_next].point <= dispatch_point) {
		if (extra[extra_next].point == dispatch_point &&
		    extra[extra_next].line < HAL_IRQ_LINES)
			(void)raise_line(extra[extra_next].line);
		extra_next++;
	}
}

/*
 * Run the handlers of every pending, unmasked line, lowest line first, as
 * the CPU would: with interrupts disabled while a handler runs.
 */
static unsigned
dispatch(void)
{
	unsigned taken_now = 0;

	dispatch_point++;
	raise_scheduled();
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		while (!lines[l].masked && atomic_load(&pending[l]) > 0) {
			atomic_fetch_sub(&pending[l], 1);
			taken_now++;
			if (l == HAL_IRQ_TIMER) {
				if (timer_hz == 0)
					continue; /* a tick after the stop */
				timer_ticks++;
				armed = 0;
				rdeadline_ns += 1000000000ull / timer_hz;
			}
			if (record_file != NULL && l != HAL_IRQ_SOFT)
				fprintf(record_file, "%llu %u\n",
				    (unsigned long long)dispatch_point, l);
			if (lines[l].handler != NULL) {
				int was = disabled;

				disabled = 1;
				lines[l].handler(l, lines[l].ctx);
				disabled = was;
			}
			if (l == HAL_IRQ_TIMER)
				next_tick();
		}
	}
	return taken_now;
}

uint64_t
hal_irq_taken(unsigned line)
{
	return line < HAL_IRQ_LINES ? atomic_load(&taken[line]) : 0;
}

unsigned long
hal_irq_save(void)
{
	unsigned long was = (unsigned long)disabled;

	disabled = 1;
	return was;
}

void
hal_irq_restore(unsigned long state)
{
	disabled = state != 0;
	if (!disabled)
		dispatch();
}

void
hal_irq_enable(void)
{
	disabled = 0;
	dispatch();
}

int
hal_irq_register(unsigned line, hal_irq_handler_t handler, void *ctx)
{
	if (line >= HAL_IRQ_LINES)
		return -CELL_E_INVAL;
	install();
	lines[line].handler = handler;
	lines[line].ctx = ctx;
	return 0;
}

void
hal_irq_mask(unsigned line)
{
	if (line < HAL_IRQ_LINES)
		lines[line].masked = 1;
}

void
hal_irq_unmask(unsigned line)
{
	if (line >= HAL_IRQ_LINES)
		return;
	lines[line].masked = 0;
	if (line == HAL_IRQ_TIMER)
		next_tick();
}

void
hal_irq_ack(unsigned line)
{
	(void)line; /* signals need no end-of-interrupt */
}

int
hal_irq_raise_soft(unsigned line)
{
	if (line != HAL_IRQ_SOFT)
		return -CELL_E_INVAL;
	install();
	return raise_line(HAL_IRQ_SOFT);
}

static int
anything_pending(void)
{
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		if (!lines[l].masked && atomic_load(&pending[l]) > 0)
			return 1;
	}
	return 0;
}

void
hal_wait_irq(void)
{
	sigset_t old;

	install();
	if (replaying) {
		/* The file says what arrives at this point; nothing else can. */
		disabled = 0;
		unsigned n = dispatch();
		disabled = 1;
		if (n == 0 && replay_next == replay_len) {
			fprintf(stderr,
			    "cellos-hosted: --irq-replay: the kernel "
			    "waits for an interrupt at dispatch point %llu, after "
			    "the recorded schedule ended: the record does not "
			    "belong to this run\n",
			    (unsigned long long)dispatch_point);
			exit(CELL_EXIT_NOSTART);
		}
		return;
	}
	if (time_mode == HOSTED_TIME_VIRTUAL && timer_hz != 0 &&
	    !lines[HAL_IRQ_TIMER].masked && !anything_pending()) {
		/* Nothing to do until the next tick: jump the clock there. */
		vclock_ns = vdeadline_ns;
		vdeadline_ns += 1000000000ull / timer_hz;
		(void)raise_line(HAL_IRQ_TIMER);
	}
	if (anything_pending()) {
		/* Work is waiting already: no need to sleep, nor to mask. */
		disabled = 0;
		dispatch();
		disabled = 1;
		return;
	}
	if (time_mode == HOSTED_TIME_VIRTUAL && timer_hz == 0 &&
	    extra_next >= extra_len)
		hal_panic(
		    "hal_wait_irq: virtual time with the timer stopped and "
		    "nothing pending: no interrupt can ever arrive");
	sigprocmask(SIG_BLOCK, &irq_signals, &old);
	if (!anything_pending()) {
		sigset_t during = old;
		for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
			sigdelset(&during, line_signal(l));
		sigsuspend(&during); /* unblock and sleep, atomically */
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	disabled = 0;
	dispatch();
	disabled = 1;
}

int
hal_timer_start(uint32_t hz)
{
	if (hz == 0 || hz > HAL_TIMER_HZ_MAX)
		return -CELL_E_INVAL;
	install();
	timer_hz = hz;
	lines[HAL_IRQ_TIMER].masked = 0;
	if (replaying)
		return 0;
	if (time_mode == HOSTED_TIME_VIRTUAL) {
		vdeadline_ns = vclock_ns + 1000000000ull / hz;
		return 0;
	}
	armed = 0;
	rdeadline_ns = now_ns() + 1000000000ull / hz;
	arm_real_tick();
	return armed ? 0 : -CELL_E_IO;
}

void
hal_timer_stop(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	if (armed)
		setitimer(ITIMER_REAL, &off, NULL);
	armed = 0;
	atomic_store(&tick_due, 0);
	timer_hz = 0;
	atomic_store(&pending[HAL_IRQ_TIMER], 0);
}

uint64_t
hal_timer_ticks(void)
{
	return timer_ticks;
}
