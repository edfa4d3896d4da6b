/*
 * BOOTX64.EFI: the UEFI loader of the x86 kernel (docs/BOOT-uefi.md).
 *
 *   1. "#E0 uefi start"          the system table checked, ConOut in use
 *   2. "#E0 kernel load ok"      \CELLOS\KERNEL.CGF and \CELLOS\KERNEL.BIN
 *                                read from the ESP this loader came from
 *                                (loaded image -> its device -> simple
 *                                file system), the kernel straight to
 *                                KERNEL_PHYS (pages allocated at that
 *                                address, its image, BSS and stack)
 *   3. "#E0 kernel verify ok"    the CGF chain of verify.c, as stage2 does
 *   4. "#E0 acpi rsdp ok"        the ACPI 2.0 (else 1.0) RSDP from the
 *                                configuration table, its checksums checked;
 *                                the MADT's 8259 flag and I/O APICs (acpi.c)
 *   5. "#E0 memory map ok"       mem_top, ram and dma32 from the memory map
 *   6. "#E0 exit boot services ok" ExitBootServices with a fresh map key,
 *                                retried with a new map while the key is
 *                                stale (UEFI 7.4.6); from here on 0xE9 and
 *                                COM1 only
 *   7. "#E0 paging on"           (trampoline.S) our GDT and page tables,
 *                                then the kernel at KERNEL_VIRT, RDI = the
 *                                handoff
 *
 * Every refusal prints "#X uefi: <what>: refusing to boot" and writes the
 * board's panic status to isa-debug-exit (QEMU exits 71); on a machine
 * without that device the loader returns an error to the firmware (before
 * ExitBootServices) or halts (after).
 */
#include <stdint.h>

#include "bootinfo.h"
#include "loader.h"

#define MIB          (1ull << 20)
#define EXIT_TRIES   8u
#define KERNEL_LIMIT (1ull << 30) /* inside the first GiB we map */

static const EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static const EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

static uint8_t cgf_buf[CGF_MAX];

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

/* Refuse with why and a UEFI status code, and give the status back. */
static EFI_STATUS
refuse_status(const char *why, EFI_STATUS status)
{
	struct line l;

	line_start(&l, why);
	line_str(&l, " (EFI status ");
	line_hex(&l, status);
	line_str(&l, ")");
	refuse_line(&l);
	return EFI_IS_ERROR(status) ? status : EFI_LOAD_ERROR;
}

static void
ascii_to_char16(CHAR16 *out, const char *s)
{
	while ((*out++ = (CHAR16)(uint8_t)*s++) != 0)
		;
}

/*
 * Read the file at path on the volume root into buf (at most cap bytes);
 * *len is what it holds. A file longer than cap is refused: one more read
 * past cap must find the end of the file.
 */
static EFI_STATUS
read_file(EFI_FILE_PROTOCOL *root, const char *path, void *buf, UINTN cap,
    UINTN *len)
{
	CHAR16 name[64];
	EFI_FILE_PROTOCOL *f;
	EFI_STATUS st;
	UINTN n = cap, extra = 1;
	uint8_t probe;
	struct line l;

	ascii_to_char16(name, path);
	st = root->open(root, &f, name, EFI_FILE_MODE_READ, 0);
	if (EFI_IS_ERROR(st)) {
		line_start(&l, "cannot open ");
		line_str(&l, path);
		line_str(&l, " on the boot volume");
		goto refused;
	}
	st = f->read(f, &n, buf);
	if (!EFI_IS_ERROR(st) && n == cap)
		st = f->read(f, &extra, &probe);
	else
		extra = 0;
	f->close(f);
	if (EFI_IS_ERROR(st)) {
		line_start(&l, "cannot read ");
		line_str(&l, path);
		goto refused;
	}
	if (extra != 0) {
		line_start(&l, path);
		line_str(&l, " is larger than the ");
		line_dec(&l, cap);
		line_str(&l, " bytes it may hold");
		refuse_line(&l);
		return EFI_LOAD_ERROR;
	}
	*len = n;
	return EFI_SUCCESS;
refused:
	line_str(&l, " (EFI status ");
	line_hex(&l, st);
	line_str(&l, ")");
	refuse_line(&l);
	return EFI_IS_ERROR(st) ? st : EFI_LOAD_ERROR;
}

/* The boot volume's root: the file system of the device we were loaded from. */
static EFI_STATUS
open_boot_volume(EFI_HANDLE image, EFI_BOOT_SERVICES *bs,
    EFI_FILE_PROTOCOL **root)
{
	EFI_LOADED_IMAGE_PROTOCOL *li;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS st;
	struct line l;

	st = bs->handle_protocol(image, &loaded_image_guid, (void **)&li);
	if (EFI_IS_ERROR(st))
		return refuse_status("no loaded image protocol on our image",
		    st);
	line_start(&l, "#I uefi: BOOTX64.EFI loaded at ");
	line_hex(&l, (uint64_t)(uintptr_t)li->image_base);
	line_str(&l, " (");
	line_dec(&l, li->image_size);
	line_str(&l, " bytes)");
	line_emit(&l);
	st = bs->handle_protocol(li->device_handle, &sfs_guid, (void **)&fs);
	if (EFI_IS_ERROR(st))
		return refuse_status("the device we were loaded from has no "
				     "simple file system",
		    st);
	st = fs->open_volume(fs, root);
	if (EFI_IS_ERROR(st))
		return refuse_status("cannot open the boot volume", st);
	return EFI_SUCCESS;
}

/*
 * Pages at KERNEL_PHYS for the kernel's whole memory size (image, BSS,
 * stack), then the kernel file read straight into them.
 */
static EFI_STATUS
load_kernel(EFI_BOOT_SERVICES *bs, EFI_FILE_PROTOCOL *root, uint32_t memsz,
    UINTN *kernel_len)
{
	EFI_PHYSICAL_ADDRESS at = KERNEL_PHYS;
	UINTN pages = (memsz + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	UINTN key;
	EFI_STATUS st;
	struct line l;
	int type;

	st = bs->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, pages,
	    &at);
	if (EFI_IS_ERROR(st)) {
		line_start(&l, "cannot have ");
		line_hex(&l, KERNEL_PHYS);
		line_str(&l, "..");
		line_hex(&l, KERNEL_PHYS + pages * EFI_PAGE_SIZE);
		line_str(&l, " (");
		line_dec(&l, pages * 4);
		line_str(&l, " KiB) for the kernel's image, BSS and stack");
		if (!EFI_IS_ERROR(memmap_get(bs, &key))) {
			for (UINTN p = 0; p < pages; p++) {
				type = memmap_type_at(
				    KERNEL_PHYS + p * EFI_PAGE_SIZE);
				if (type == EFI_CONVENTIONAL_MEMORY)
					continue;
				line_str(&l, "; the memory map has ");
				line_str(&l,
				    type < 0 ?
					"nothing" :
					memmap_type_name((uint32_t)type));
				line_str(&l, " at ");
				line_hex(&l, KERNEL_PHYS + p * EFI_PAGE_SIZE);
				break;
			}
		}
		line_str(&l, " (AllocatePages: EFI status ");
		line_hex(&l, st);
		line_str(&l, ")");
		refuse_line(&l);
		return st;
	}
	return read_file(root, KERNEL_PATH, (void *)(uintptr_t)at, memsz,
	    kernel_len);
}

static void
print_memory(const char *when, const struct memory_summary *m)
{
	struct line l;

	line_start(&l, "#I uefi: memory map ");
	line_str(&l, when);
	line_str(&l, ": ");
	line_dec(&l, m->descriptors);
	line_str(&l, " descriptors, usable RAM reaches ");
	line_hex(&l, m->mem_top);
	line_str(&l, ", ");
	line_dec(&l, m->usable_bytes / 1024);
	line_str(&l, " KiB usable after ExitBootServices, ram=");
	line_dec(&l, m->ram_bytes / MIB);
	line_str(&l, "MiB");
	line_emit(&l);
}

/* What else the map holds: the firmware's, ACPI's, devices' (not for the kernel). */
static void
print_kept(const struct memory_summary *m)
{
	static const uint32_t kept[] = { EFI_RUNTIME_SERVICES_CODE,
		EFI_RUNTIME_SERVICES_DATA, EFI_ACPI_RECLAIM_MEMORY,
		EFI_ACPI_MEMORY_NVS, EFI_RESERVED_MEMORY, EFI_UNUSABLE_MEMORY,
		EFI_MEMORY_MAPPED_IO };
	const char *sep = ": ";
	struct line l;

	line_start(&l, "#I uefi: the map also holds, not for the kernel");
	for (unsigned i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		if (m->type_bytes[kept[i]] == 0)
			continue;
		line_str(&l, sep);
		sep = ", ";
		line_str(&l, memmap_type_name(kept[i]));
		line_str(&l, " ");
		line_dec(&l, m->type_bytes[kept[i]] / 1024);
		line_str(&l, " KiB");
	}
	line_emit(&l);
}

/* What the loader knows goes into the handoff; the kernel probes the rest. */
static void
fill_handoff(handoff_t *h, UINTN kernel_len, const struct memory_summary *m,
    uint64_t rsdp)
{
	memset(h, 0, sizeof *h);
	h->phys_base = KERNEL_PHYS;
	h->phys_len = kernel_len;
	h->mem_top = m->mem_top;
	h->console_flags = CGF_CONSOLE_COM1;
	h->substrate.arch = CGF_ARCH_X86_64;
	h->substrate.tier = CGF_TIER_PC_UEFI;
	h->substrate.console_fabric = CGF_CONSOLE_COM1;
	h->substrate.ram_total_bytes = m->ram_bytes;
	h->substrate.dma32_boundary = m->dma32;
	h->substrate.reserved_u64[0] = rsdp;
}

EFI_STATUS EFIAPI
efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_BOOT_SERVICES *bs;
	EFI_FILE_PROTOCOL *root;
	struct memory_summary mem;
	struct acpi_madt madt;
	UINTN cgf_len, kernel_len, key;
	EFI_STATUS s;
	uint32_t memsz;
	uint64_t rsdp;
	unsigned tries;
	struct line l;

	con_init(NULL);
	if (st == NULL || st->hdr.signature != EFI_SYSTEM_TABLE_SIGNATURE ||
	    st->boot_services == NULL ||
	    st->boot_services->hdr.signature != EFI_BOOT_SERVICES_SIGNATURE) {
		refuse("no UEFI system table with boot services");
		return EFI_INVALID_PARAMETER;
	}
	bs = st->boot_services;
	con_init(st->con_out);
	say("#E0 uefi start");
	line_start(&l, "#I uefi: firmware \"");
	line_wstr(&l, st->firmware_vendor, 40);
	line_str(&l, "\" revision ");
	line_hex(&l, st->firmware_revision);
	line_str(&l, ", UEFI ");
	line_dec(&l, st->hdr.revision >> 16);
	line_str(&l, ".");
	line_dec(&l, (st->hdr.revision & 0xFFFF) / 10);
	if ((st->hdr.revision & 0xFFFF) % 10 != 0)
		line_dec(&l, (st->hdr.revision & 0xFFFF) % 10);
	line_emit(&l);
	if (!enter_cpu_ok()) {
		refuse(
		    "the firmware runs with 5-level paging (CR4.LA57), which "
		    "cannot be left in long mode");
		return EFI_UNSUPPORTED;
	}

	memsz = record_memsz();
	if (memsz == 0) {
		refuse("the loader's build record is empty (BOOTX64.EFI not "
		       "packed by tools/esp-pack?)");
		return EFI_LOAD_ERROR;
	}
	if (KERNEL_PHYS + memsz > KERNEL_LIMIT) {
		refuse("the build record's kernel memory size does not fit "
		       "the first GiB");
		return EFI_LOAD_ERROR;
	}
	if (EFI_IS_ERROR(s = open_boot_volume(image, bs, &root)))
		return s;
	if (EFI_IS_ERROR(s = read_file(root, CGF_PATH, cgf_buf, sizeof cgf_buf,
			     &cgf_len)))
		return s;
	if (EFI_IS_ERROR(s = load_kernel(bs, root, memsz, &kernel_len)))
		return s;
	root->close(root);
	line_start(&l, "#I uefi: read " KERNEL_PATH " (");
	line_dec(&l, kernel_len);
	line_str(&l, " bytes) to ");
	line_hex(&l, KERNEL_PHYS);
	line_str(&l, " (");
	line_dec(&l, (memsz + 1023) / 1024);
	line_str(&l, " KiB with BSS and stack) and " CGF_PATH " (");
	line_dec(&l, cgf_len);
	line_str(&l, " bytes)");
	line_emit(&l);
	say("#E0 kernel load ok");

	if (verify_kernel(cgf_buf, (uint32_t)cgf_len,
		(const uint8_t *)(uintptr_t)KERNEL_PHYS,
		(uint32_t)kernel_len) != 0)
		return EFI_SECURITY_VIOLATION;
	say("#E0 kernel verify ok");

	rsdp = acpi_find_rsdp(st);
	if (rsdp != 0)
		say("#E0 acpi rsdp ok");
	else
		say("#I uefi: no ACPI RSDP in the configuration table; the "
		    "kernel does not need one (8259 and PIT)");
	acpi_madt(rsdp, &madt);

	if (EFI_IS_ERROR(s = enter_prepare(bs)))
		return refuse_status("cannot allocate the page tables and the "
				     "trampoline below 1 GiB",
		    s);
	if (EFI_IS_ERROR(s = memmap_get(bs, &key)))
		return refuse_status("GetMemoryMap failed", s);
	memmap_summarise(&mem);
	print_memory("before ExitBootServices", &mem);
	say("#E0 memory map ok");

	/*
	 * From the first ExitBootServices call on, only the memory allocation
	 * services may be called (UEFI 7.4.6): nothing is printed until it
	 * succeeds. A stale key (the map changed since GetMemoryMap, e.g. by
	 * the lines just printed) is retried with a fresh map.
	 */
	for (tries = 1;; tries++) {
		if (EFI_IS_ERROR(s = memmap_get(bs, &key)))
			break;
		s = bs->exit_boot_services(image, key);
		if (s != EFI_INVALID_PARAMETER || tries == EXIT_TRIES)
			break;
	}
	if (EFI_IS_ERROR(s)) {
		con_init(NULL);
		con_leave_boot_services();
		line_start(&l, "ExitBootServices failed ");
		line_dec(&l, tries);
		line_str(&l, " time(s) (EFI status ");
		line_hex(&l, s);
		line_str(&l, ")");
		refuse_line(&l);
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	__asm__ volatile("cli");
	con_leave_boot_services();
	memmap_summarise(&mem);
	fill_handoff(enter_handoff(), kernel_len, &mem, rsdp);
	line_start(&l, "#I uefi: ExitBootServices succeeded on call ");
	line_dec(&l, tries);
	line_str(&l,
	    tries == 1 ? " (the first map key was current)" :
			 " (a fresh map key after each stale one)");
	line_emit(&l);
	print_memory("handed to the kernel", &mem);
	print_kept(&mem);
	say("#E0 exit boot services ok");
	enter_kernel(&madt);
}
