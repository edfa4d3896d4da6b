# Helpers shared by every target's build.

# Warnings are errors on every target (STYLE.md).
function(cellos_warnings target)
	target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wpedantic
		-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2)
endfunction()

# No build or source path ends up in an output (reproducible releases).
add_compile_options("-ffile-prefix-map=${CMAKE_SOURCE_DIR}=."
	"-ffile-prefix-map=${CMAKE_BINARY_DIR}=build")

# Sanitizer flags for every target of a CELLOS_SANITIZE build.
if(CELLOS_SANITIZE)
	add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
		-fno-omit-frame-pointer)
	add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()

# A fuzz build instruments everything for coverage; fuzz targets add the
# libFuzzer main themselves. Under OSS-Fuzz (fuzz/oss-fuzz/build.sh,
# CELLOS_FUZZ_ENV_FLAGS) the flags come from $CFLAGS instead.
option(CELLOS_FUZZ_ENV_FLAGS "Fuzz build: sanitizer and coverage flags from CFLAGS/CXXFLAGS only" OFF)
if(CELLOS_FUZZ AND NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
	message(FATAL_ERROR "CELLOS_FUZZ needs clang (the fuzz preset sets it)")
endif()
if(CELLOS_FUZZ AND NOT CELLOS_FUZZ_ENV_FLAGS)
	# Empty: coverage only (./cellos bench's fuzz-boot without sanitizers).
	set(CELLOS_FUZZ_SANITIZERS "address,undefined" CACHE STRING
		"Sanitizers of a fuzz build")
	if(CELLOS_FUZZ_SANITIZERS)
		add_compile_options(-fsanitize=fuzzer-no-link,${CELLOS_FUZZ_SANITIZERS}
			-fno-sanitize-recover=all -fno-omit-frame-pointer)
		add_link_options(-fsanitize=${CELLOS_FUZZ_SANITIZERS})
	else()
		# The link flag brings clang's runtime with the coverage callbacks.
		add_compile_options(-fsanitize=fuzzer-no-link -fno-omit-frame-pointer)
		add_link_options(-fsanitize=fuzzer-no-link)
	endif()
endif()

# Files whose comparisons tell a fuzzer nothing (hash rounds, byte copies)
# but cost it most of its time when traced: edge coverage only.
function(cellos_fuzz_quiet)
	if(CELLOS_FUZZ)
		set_source_files_properties(${ARGN}
			PROPERTIES COMPILE_OPTIONS "-fno-sanitize-coverage=trace-cmp")
	endif()
endfunction()

# The release id: VERSION and SOURCE_DATE_EPOCH, the same on every target.
# SOURCE_DATE_EPOCH comes from the environment, else from the release epoch
# pinned here (bump it together with VERSION). The golden ledger's E10 build
# value is for this pinned epoch.
set(CELLOS_PINNED_EPOCH 1700000000)
function(cellos_release_id)
	if(DEFINED ENV{SOURCE_DATE_EPOCH})
		set(sde "$ENV{SOURCE_DATE_EPOCH}")
	else()
		set(sde "${CELLOS_PINNED_EPOCH}")
	endif()
	if(NOT sde MATCHES "^[0-9]+$")
		message(FATAL_ERROR "SOURCE_DATE_EPOCH='${sde}' is not a whole number of seconds")
	endif()
	set(CELLOS_SOURCE_DATE_EPOCH "${sde}" CACHE STRING "Release timestamp (seconds since 1970)" FORCE)
endfunction()

# Copy a finished artifact (file, named name) to CELLOS_OUT_DIR, when that is
# set, after target is built. Copy, then rename: never a half-written image.
function(cellos_publish target file name)
	if(CELLOS_OUT_DIR)
		add_custom_command(TARGET ${target} POST_BUILD
			COMMAND ${CMAKE_COMMAND} -E make_directory "${CELLOS_OUT_DIR}"
			COMMAND ${CMAKE_COMMAND} -E copy "${file}" "${CELLOS_OUT_DIR}/${name}.tmp"
			COMMAND ${CMAKE_COMMAND} -E rename "${CELLOS_OUT_DIR}/${name}.tmp" "${CELLOS_OUT_DIR}/${name}"
			VERBATIM)
	endif()
endfunction()

# Embed phenotypes/<name>.yaml, compiled by the host phenotype compiler with
# this build's bytecode genes (genes/bpf/, CELLOS_BPF_DIR), into a board
# kernel (hal_phenotype returns it); a changed gene rebuilds the image.
# Without the compiler the kernel is built without one and boots its
# built-in minimal phenotype.
function(cellos_embed_phenotype target name)
	set(compiler "${CELLOS_HOST_TOOLS}/phenotype-compile")
	set(yaml "${PROJECT_SOURCE_DIR}/phenotypes/${name}.yaml")
	set(blob "${PROJECT_SOURCE_DIR}/arch/freestanding/phenotype_blob.S")
	target_sources(${target} PRIVATE "${blob}"
		"${PROJECT_SOURCE_DIR}/arch/freestanding/embedded_phenotype.c")
	if(NOT EXISTS "${compiler}" OR NOT EXISTS "${yaml}")
		message(WARNING "${compiler} or ${yaml} missing: ${target} boots its built-in phenotype")
		return()
	endif()
	set(pbin "${CMAKE_CURRENT_BINARY_DIR}/${name}.pbin")
	add_custom_command(
		OUTPUT "${pbin}"
		COMMAND "${compiler}" --code-dir "${CELLOS_BPF_DIR}"
			${CELLOS_PHENOTYPE_SIGN_ARGS} -o "${pbin}" "${yaml}"
		DEPENDS "${compiler}" "${yaml}" "${PROJECT_SOURCE_DIR}/schemas/phenotype.schema.yaml"
			${CELLOS_PHENOTYPE_SIGN_DEPENDS}
			${CELLOS_BPF_OBJECTS} bpf_genes
		COMMENT "phenotype-compile ${name}"
		VERBATIM)
	set_source_files_properties("${blob}" TARGET_DIRECTORY ${target} PROPERTIES
		COMPILE_DEFINITIONS "CELLOS_PBIN_FILE=\"${pbin}\""
		OBJECT_DEPENDS "${pbin}")
	set_target_properties(${target} PROPERTIES CELLOS_PBIN "${pbin}")
endfunction()

# What every board build (not hosted) sets in the core and wire libraries,
# in one place; each arch/<board>/CMakeLists.txt calls it once.
#   - SHA-256 as a loop (CFG_SHA256_UNROLLED=0): 4 KiB smaller; speed on a
#     board matters less than size.
#   - The VM interpreter at -O2 while the rest is -Os: at -Os gcc merges
#     the handlers' indirect jumps into one, which costs the dispatch most
#     of its speed (about 10x native instead of 7x on a loop-heavy gene).
function(cellos_board_profile)
	target_compile_definitions(cellos_wire PRIVATE CFG_SHA256_UNROLLED=0)
	set_property(SOURCE "${PROJECT_SOURCE_DIR}/core/vm_interp.c"
		TARGET_DIRECTORY cellos_core APPEND PROPERTY COMPILE_OPTIONS -O2)
endfunction()
