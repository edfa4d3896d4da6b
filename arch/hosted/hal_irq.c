/*
 * Hosted interrupts: POSIX signals stand in for interrupt lines.
 *
 *   SIGALRM   HAL_IRQ_TIMER (real time: setitimer drives it)
 *   SIGRTMIN  HAL_IRQ_SOFT  (hal_irq_raise_soft sends it to this thread)
 *   SIGUSR1   HAL_IRQ_EXT0  (kill -USR1 <pid> from a shell)
 *   SIGUSR2   HAL_IRQ_EXT1
 *
 * One host thread. "Interrupts disabled" is a flag, not a syscall. A signal
 * handler only adds to a per-line pending count (a lock-free atomic, so it
 * is async-signal-safe); pending lines are dispatched to the kernel's
 * handlers when the flag is cleared and inside hal_wait_irq, which blocks
 * the signals, looks for pending work and otherwise waits with sigsuspend,
 * which unblocks and sleeps atomically, so no wake-up is lost.
 *
 * Virtual time (the default): the timer is a deadline on a virtual clock
 * that advances only when the kernel waits, straight to the next deadline,
 * so a run is deterministic and faster than real time.
 *
 * Every place the kernel can take interrupts is a numbered dispatch point.
 * --irq-record writes, for every timer and external interrupt dispatched,
 * the point and the line; --irq-replay feeds exactly those back at the same
 * points (and takes no real timer or external signals), which reproduces
 * the run's channel-0 output byte for byte. Software interrupts need no
 * record: the kernel raises them itself, deterministically.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cellos/errors.h"
#include "hal.h"
#include "hosted.h"

struct line {
	hal_irq_handler_t handler;
	void *ctx;
	int masked;
};

static struct line lines[HAL_IRQ_LINES];
static _Atomic uint32_t pending[HAL_IRQ_LINES];
static int disabled = 1;		/* the CPU starts with interrupts off */
static int installed;
static sigset_t irq_signals;		/* the four signals above */

static enum hosted_time time_mode = HOSTED_TIME_VIRTUAL;
static uint32_t timer_hz;		/* 0: the timer is stopped */
static uint64_t timer_ticks;		/* ticks dispatched */
static uint64_t vclock_ns, vdeadline_ns;

static uint64_t dispatch_point;		/* dispatch opportunities so far */
static FILE *record_file;
static struct hosted_irq_event *replay;	/* the schedule being replayed */
static size_t replay_len, replay_next;
static int replaying;
static const struct hosted_irq_event *extra;	/* injected on top (fuzzing) */
static size_t extra_len, extra_next;

static const int line_signal_base[HAL_IRQ_LINES] = {
	SIGALRM, 0 /* SIGRTMIN, not a constant */, SIGUSR1, SIGUSR2
};

static int
line_signal(unsigned line)
{
	return line == HAL_IRQ_SOFT ? SIGRTMIN : line_signal_base[line];
}

static void
on_signal(int sig)
{
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		if (line_signal(l) == sig) {
			atomic_fetch_add_explicit(&pending[l], 1,
			    memory_order_relaxed);
			return;
		}
	}
}

/* Install the handlers once; they only count. */
static void
install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	sigemptyset(&irq_signals);
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
		sigaddset(&irq_signals, line_signal(l));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_mask = irq_signals;	/* handlers never nest */
	sa.sa_flags = SA_RESTART;
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		/* A replay takes its timer and external lines from the file. */
		if (replaying && l != HAL_IRQ_SOFT) {
			signal(line_signal(l), SIG_IGN);
			continue;
		}
		sigaction(line_signal(l), &sa, NULL);
	}
	installed = 1;
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

/* Feed the replayed interrupts that belong to this dispatch point. */
static void
replay_inject(void)
{
	while (replay_next < replay_len &&
	    replay[replay_next].point == dispatch_point) {
		atomic_fetch_add(&pending[replay[replay_next].line], 1);
		replay_next++;
	}
}

/*
 * Run the handlers of every pending, unmasked line, lowest line first, as
 * the CPU would: with interrupts disabled while a handler runs.
 */
static unsigned
dispatch(void)
{
	unsigned taken = 0;

	dispatch_point++;
	if (replaying)
		replay_inject();
	while (extra_next < extra_len && extra[extra_next].point <= dispatch_point) {
		if (extra[extra_next].point == dispatch_point &&
		    extra[extra_next].line < HAL_IRQ_LINES)
			atomic_fetch_add(&pending[extra[extra_next].line], 1);
		extra_next++;
	}
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		while (!lines[l].masked && atomic_load(&pending[l]) > 0) {
			atomic_fetch_sub(&pending[l], 1);
			taken++;
			if (l == HAL_IRQ_TIMER) {
				if (timer_hz == 0)
					continue;	/* a tick after the stop */
				timer_ticks++;
			}
			if (record_file != NULL && l != HAL_IRQ_SOFT)
				fprintf(record_file, "%llu %u\n",
				    (unsigned long long)dispatch_point, l);
			if (lines[l].handler == NULL)
				continue;	/* nobody listens: dropped */
			int was = disabled;
			disabled = 1;
			lines[l].handler(l, lines[l].ctx);
			disabled = was;
		}
	}
	return taken;
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
	if (line < HAL_IRQ_LINES)
		lines[line].masked = 0;
}

void
hal_irq_ack(unsigned line)
{
	(void)line;	/* signals need no end-of-interrupt */
}

int
hal_irq_raise_soft(unsigned line)
{
	if (line != HAL_IRQ_SOFT)
		return -CELL_E_INVAL;
	install();
	if (raise(SIGRTMIN) != 0)
		return -CELL_E_IO;
	return 0;
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
		unsigned taken = dispatch();
		disabled = 1;
		if (taken == 0 && replay_next == replay_len) {
			fprintf(stderr, "cellos-hosted: --irq-replay: the kernel "
			    "waits for an interrupt at dispatch point %llu, after "
			    "the recorded schedule ended: the record does not "
			    "belong to this run\n",
			    (unsigned long long)dispatch_point);
			exit(3);
		}
		return;
	}
	if (time_mode == HOSTED_TIME_VIRTUAL && timer_hz != 0 &&
	    !lines[HAL_IRQ_TIMER].masked && !anything_pending()) {
		/* Nothing to do until the next tick: jump the clock there. */
		vclock_ns = vdeadline_ns;
		vdeadline_ns += 1000000000ull / timer_hz;
		atomic_fetch_add(&pending[HAL_IRQ_TIMER], 1);
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
		hal_panic("hal_wait_irq: virtual time with the timer stopped and "
		    "nothing pending: no interrupt can ever arrive");
	sigprocmask(SIG_BLOCK, &irq_signals, &old);
	if (!anything_pending()) {
		sigset_t during = old;
		for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
			sigdelset(&during, line_signal(l));
		sigsuspend(&during);	/* unblock and sleep, atomically */
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	disabled = 0;
	dispatch();
	disabled = 1;
}

int
hal_timer_start(uint32_t hz)
{
	if (hz == 0 || hz > 10000)
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
	struct itimerval it = { { 0, (long)(1000000 / hz) },
	    { 0, (long)(1000000 / hz) } };
	if (setitimer(ITIMER_REAL, &it, NULL) != 0)
		return -CELL_E_IO;
	return 0;
}

void
hal_timer_stop(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	if (timer_hz != 0 && time_mode == HOSTED_TIME_REAL && !replaying)
		setitimer(ITIMER_REAL, &off, NULL);
	timer_hz = 0;
	atomic_store(&pending[HAL_IRQ_TIMER], 0);
}

uint64_t
hal_timer_ticks(void)
{
	return timer_ticks;
}
