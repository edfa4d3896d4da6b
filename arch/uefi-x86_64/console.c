/*
 * The loader's console: every line goes to port 0xE9 (QEMU's debug console,
 * channel 0 of the log) from the first line on; while boot services run it
 * also goes to ConOut, the firmware's console (on OVMF the screen and COM1
 * through its terminal driver), and once they are over to COM1 directly,
 * the way stage2 and the kernel write it. A line is built in a fixed
 * buffer, cut at LINE_MAX, and written whole.
 */
#include <stdint.h>

#include "bootinfo.h"
#include "loader.h"

#define COM1      0x3F8u
#define COM1_WAIT 100000u /* LSR reads before a byte is sent anyway */

static EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *con;
static int com1_direct;

void
con_init(EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *con_out)
{
	con = con_out;
	com1_direct = 0;
}

/*
 * COM1 after ExitBootServices: the firmware's serial driver is gone, so
 * set the UART up as stage2 does (115200 8N1, FIFOs on, no interrupts).
 * A missing UART reads 0xFF and its writes go nowhere.
 */
void
con_leave_boot_services(void)
{
	con = NULL;
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);
	outb(COM1 + 2, 0xC7);
	com1_direct = 1;
}

static void
com1_put(char c)
{
	for (unsigned i = 0; i < COM1_WAIT && (inb(COM1 + 5) & 0x20) == 0; i++)
		;
	outb(COM1, (uint8_t)c);
}

/* ConOut takes CHAR16 strings and wants CR LF. */
static void
con_put(const char *s, unsigned len)
{
	CHAR16 buf[LINE_MAX + 2];
	unsigned n = 0;

	for (unsigned i = 0; i < len && n < LINE_MAX; i++) {
		if (s[i] == '\n')
			buf[n++] = '\r';
		buf[n++] = (CHAR16)(uint8_t)s[i];
	}
	buf[n] = 0;
	con->output_string(con, buf);
}

void
line_start(struct line *l, const char *s)
{
	l->len = 0;
	line_str(l, s);
}

static void
line_char(struct line *l, char c)
{
	if (l->len < LINE_MAX - 1)
		l->text[l->len++] = c;
}

void
line_str(struct line *l, const char *s)
{
	while (*s != '\0')
		line_char(l, *s++);
}

void
line_wstr(struct line *l, const CHAR16 *s, unsigned max)
{
	for (unsigned i = 0; s != NULL && i < max && s[i] != 0; i++)
		line_char(l, s[i] >= 0x20 && s[i] < 0x7F ? (char)s[i] : '?');
}

/* 0x and upper-case hex, at least eight digits (stage2's form). */
void
line_hex(struct line *l, uint64_t v)
{
	int digits = 8;

	while (digits < 16 && (v >> (4 * digits)) != 0)
		digits++;
	line_str(l, "0x");
	while (digits-- > 0)
		line_char(l, "0123456789ABCDEF"[(v >> (4 * digits)) & 0xF]);
}

void
line_dec(struct line *l, uint64_t v)
{
	char buf[21];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		line_char(l, buf[--n]);
}

void
line_emit(struct line *l)
{
	l->text[l->len++] = '\n';
	for (unsigned i = 0; i < l->len; i++)
		outb(0xE9, (uint8_t)l->text[i]);
	if (con != NULL)
		con_put(l->text, l->len);
	if (com1_direct) {
		for (unsigned i = 0; i < l->len; i++)
			com1_put(l->text[i]);
	}
	l->len = 0;
}

void
say(const char *s)
{
	struct line l;

	line_start(&l, s);
	line_emit(&l);
}

void
refuse_line(struct line *l)
{
	struct line out;

	line_start(&out, "#X uefi: ");
	for (unsigned i = 0; i < l->len; i++)
		line_char(&out, l->text[i]);
	line_str(&out, ": refusing to boot");
	line_emit(&out);
	outl(0xF4, EXIT_BOOT_REFUSED);
}

void
refuse(const char *why)
{
	struct line l;

	line_start(&l, why);
	refuse_line(&l);
}
