/*
 * The part of the UEFI interface this loader uses, written from the UEFI
 * Specification (2.10): the system table (4.3), the boot services table
 * (4.4) with the memory allocation services (7.2), the simple text output
 * protocol (12.4), the loaded image protocol (9.1), the simple file system
 * and file protocols (13.4, 13.5), the configuration table (4.6) and the
 * status codes (Appendix D). Only what is called is given a prototype; the
 * other slots of each table are kept as plain pointers so that every
 * offset stays what the specification says (asserted below).
 *
 * Built for x86_64-unknown-windows, whose default calling convention is the
 * Microsoft x64 one that UEFI specifies for x64 (2.3.4), so function
 * pointers need no attribute; EFIAPI makes it explicit all the same.
 */
#ifndef CELLOS_UEFI_EFI_H
#define CELLOS_UEFI_EFI_H

#include <stddef.h>
#include <stdint.h>

#define EFIAPI __attribute__((ms_abi))

typedef uint64_t UINTN;
typedef uint16_t CHAR16;
typedef UINTN EFI_STATUS;
typedef void *EFI_HANDLE;
typedef uint64_t EFI_PHYSICAL_ADDRESS;

/* Appendix D: error codes have the top bit set. */
#define EFI_ERROR_BIT 0x8000000000000000ull
/* clang-format off */
#define EFI_IS_ERROR(s)		(((s) & EFI_ERROR_BIT) != 0)
/* clang-format on */
#define EFI_SUCCESS            0ull
#define EFI_LOAD_ERROR         (EFI_ERROR_BIT | 1)
#define EFI_INVALID_PARAMETER  (EFI_ERROR_BIT | 2)
#define EFI_UNSUPPORTED        (EFI_ERROR_BIT | 3)
#define EFI_BUFFER_TOO_SMALL   (EFI_ERROR_BIT | 5)
#define EFI_OUT_OF_RESOURCES   (EFI_ERROR_BIT | 9)
#define EFI_NOT_FOUND          (EFI_ERROR_BIT | 14)
#define EFI_SECURITY_VIOLATION (EFI_ERROR_BIT | 26)

typedef struct {
	uint32_t data1;
	uint16_t data2;
	uint16_t data3;
	uint8_t data4[8];
} EFI_GUID;

typedef struct {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
} EFI_TABLE_HEADER;

#define EFI_SYSTEM_TABLE_SIGNATURE  0x5453595320494249ull /* "IBI SYST" */
#define EFI_BOOT_SERVICES_SIGNATURE 0x56524553544F4F42ull /* "BOOTSERV" */

/* 12.4: EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL. */
typedef struct efi_text_output EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL;
struct efi_text_output {
	void *reset;
	EFI_STATUS(EFIAPI *output_string)
	(EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *self, const CHAR16 *string);
	void *test_string;
	void *query_mode;
	void *set_mode;
	void *set_attribute;
	void *clear_screen;
	void *set_cursor_position;
	void *enable_cursor;
	void *mode;
};

/* 7.2: memory types, allocation types and the memory descriptor. */
enum efi_memory_type {
	EFI_RESERVED_MEMORY = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
	EFI_MEMORY_TYPES = 16
};

enum efi_allocate_type {
	EFI_ALLOCATE_ANY_PAGES = 0,
	EFI_ALLOCATE_MAX_ADDRESS = 1,
	EFI_ALLOCATE_ADDRESS = 2
};

#define EFI_PAGE_SIZE 4096ull

typedef struct {
	uint32_t type;
	uint32_t pad;
	EFI_PHYSICAL_ADDRESS physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
} EFI_MEMORY_DESCRIPTOR;

/* 4.4: EFI_BOOT_SERVICES, in table order. */
typedef struct {
	EFI_TABLE_HEADER hdr;
	void *raise_tpl;
	void *restore_tpl;
	EFI_STATUS(EFIAPI *allocate_pages)
	(uint32_t type, uint32_t memory_type, UINTN pages,
	    EFI_PHYSICAL_ADDRESS *memory);
	EFI_STATUS(EFIAPI *free_pages)
	(EFI_PHYSICAL_ADDRESS memory, UINTN pages);
	EFI_STATUS(EFIAPI *get_memory_map)
	(UINTN *map_size, EFI_MEMORY_DESCRIPTOR *map, UINTN *map_key,
	    UINTN *descriptor_size, uint32_t *descriptor_version);
	void *allocate_pool;
	void *free_pool;
	void *create_event;
	void *set_timer;
	void *wait_for_event;
	void *signal_event;
	void *close_event;
	void *check_event;
	void *install_protocol_interface;
	void *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	EFI_STATUS(EFIAPI *handle_protocol)
	(EFI_HANDLE handle, const EFI_GUID *protocol, void **interface);
	void *reserved;
	void *register_protocol_notify;
	void *locate_handle;
	void *locate_device_path;
	void *install_configuration_table;
	void *load_image;
	void *start_image;
	void *exit;
	void *unload_image;
	EFI_STATUS(EFIAPI *exit_boot_services)(EFI_HANDLE image, UINTN map_key);
	void *get_next_monotonic_count;
	void *stall;
	void *set_watchdog_timer;
} EFI_BOOT_SERVICES;

/* 4.6: one entry of the configuration table. */
typedef struct {
	EFI_GUID vendor_guid;
	void *vendor_table;
} EFI_CONFIGURATION_TABLE;

/* 4.3: EFI_SYSTEM_TABLE. */
typedef struct {
	EFI_TABLE_HEADER hdr;
	const CHAR16 *firmware_vendor;
	uint32_t firmware_revision;
	EFI_HANDLE console_in_handle;
	void *con_in;
	EFI_HANDLE console_out_handle;
	EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *con_out;
	EFI_HANDLE standard_error_handle;
	EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *std_err;
	void *runtime_services;
	EFI_BOOT_SERVICES *boot_services;
	UINTN number_of_table_entries;
	EFI_CONFIGURATION_TABLE *configuration_table;
} EFI_SYSTEM_TABLE;

/* 9.1: EFI_LOADED_IMAGE_PROTOCOL. */
typedef struct {
	uint32_t revision;
	EFI_HANDLE parent_handle;
	EFI_SYSTEM_TABLE *system_table;
	EFI_HANDLE device_handle;
	void *file_path;
	void *reserved;
	uint32_t load_options_size;
	void *load_options;
	void *image_base;
	uint64_t image_size;
	uint32_t image_code_type;
	uint32_t image_data_type;
	void *unload;
} EFI_LOADED_IMAGE_PROTOCOL;

/* 13.5: EFI_FILE_PROTOCOL. */
typedef struct efi_file EFI_FILE_PROTOCOL;
struct efi_file {
	uint64_t revision;
	EFI_STATUS(EFIAPI *open)
	(EFI_FILE_PROTOCOL *self, EFI_FILE_PROTOCOL **new_handle,
	    const CHAR16 *file_name, uint64_t open_mode, uint64_t attributes);
	EFI_STATUS(EFIAPI *close)(EFI_FILE_PROTOCOL *self);
	void *delete_file;
	EFI_STATUS(EFIAPI *read)
	(EFI_FILE_PROTOCOL *self, UINTN *buffer_size, void *buffer);
	void *write;
	void *get_position;
	void *set_position;
	void *get_info;
	void *set_info;
	void *flush;
};

#define EFI_FILE_MODE_READ 0x0000000000000001ull

/* 13.4: EFI_SIMPLE_FILE_SYSTEM_PROTOCOL. */
typedef struct efi_simple_file_system EFI_SIMPLE_FILE_SYSTEM_PROTOCOL;
struct efi_simple_file_system {
	uint64_t revision;
	EFI_STATUS(EFIAPI *open_volume)
	(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *self, EFI_FILE_PROTOCOL **root);
};

/* The GUIDs (9.1, 13.4, and 4.6 for the ACPI tables). */
#define EFI_LOADED_IMAGE_PROTOCOL_GUID                                 \
	{                                                              \
		0x5B1B31A1, 0x9562, 0x11D2,                            \
		{                                                      \
			0x8E, 0x3F, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B \
		}                                                      \
	}
#define EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID                           \
	{                                                              \
		0x964E5B22, 0x6459, 0x11D2,                            \
		{                                                      \
			0x8E, 0x39, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B \
		}                                                      \
	}
#define EFI_ACPI_20_TABLE_GUID                                         \
	{                                                              \
		0x8868E871, 0xE4F1, 0x11D3,                            \
		{                                                      \
			0xBC, 0x22, 0x00, 0x80, 0xC7, 0x3C, 0x88, 0x81 \
		}                                                      \
	}
#define EFI_ACPI_10_TABLE_GUID                                         \
	{                                                              \
		0xEB9D2D30, 0x2D88, 0x11D3,                            \
		{                                                      \
			0x9A, 0x16, 0x00, 0x90, 0x27, 0x3F, 0xC1, 0x4D \
		}                                                      \
	}

/* The offsets the specification implies for x64 (8-byte pointers). */
_Static_assert(sizeof(EFI_GUID) == 16, "EFI_GUID is 16 bytes");
_Static_assert(sizeof(EFI_TABLE_HEADER) == 24, "EFI_TABLE_HEADER is 24 bytes");
_Static_assert(offsetof(EFI_SYSTEM_TABLE, con_out) == 64, "ConOut @64");
_Static_assert(offsetof(EFI_SYSTEM_TABLE, boot_services) == 96,
    "BootServices @96");
_Static_assert(offsetof(EFI_SYSTEM_TABLE, configuration_table) == 112,
    "ConfigurationTable @112");
_Static_assert(offsetof(EFI_BOOT_SERVICES, allocate_pages) == 40,
    "AllocatePages @40");
_Static_assert(offsetof(EFI_BOOT_SERVICES, get_memory_map) == 56,
    "GetMemoryMap @56");
_Static_assert(offsetof(EFI_BOOT_SERVICES, handle_protocol) == 152,
    "HandleProtocol @152");
_Static_assert(offsetof(EFI_BOOT_SERVICES, exit_boot_services) == 232,
    "ExitBootServices @232");
_Static_assert(offsetof(EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL, output_string) == 8,
    "OutputString @8");
_Static_assert(offsetof(EFI_LOADED_IMAGE_PROTOCOL, device_handle) == 24,
    "DeviceHandle @24");
_Static_assert(offsetof(EFI_FILE_PROTOCOL, read) == 32, "Read @32");
_Static_assert(sizeof(EFI_MEMORY_DESCRIPTOR) == 40,
    "EFI_MEMORY_DESCRIPTOR is 40 bytes (GetMemoryMap may use larger strides)");
_Static_assert(sizeof(EFI_CONFIGURATION_TABLE) == 24,
    "EFI_CONFIGURATION_TABLE is 24 bytes");

#endif
