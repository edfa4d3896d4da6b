# Bytecode genes (docs/GENES.md): C compiled with clang -target bpf into the
# ELF objects tools/phenotype-compile reads. Every preset builds them the
# same way, byte for byte: the board presets' gcc cannot emit BPF, so clang
# is found on its own, and none of the build's flags (sanitizers, fuzzer
# coverage, a board's -m options) may reach it, which is why the objects
# come from add_custom_command and not from add_library.

find_program(CELLOS_BPF_CLANG NAMES clang clang-19 clang-18 clang-17 clang-16
	clang-15 clang-14 REQUIRED
	DOC "clang with the BPF backend, for genes/bpf/ (docs/GENES.md)")

# Check once per clang that it can emit BPF, with a message that says why
# it matters (distribution clang usually can; a clang built without the BPF
# target cannot).
if(NOT CELLOS_BPF_CLANG_CHECKED STREQUAL "${CELLOS_BPF_CLANG}")
	set(probe_dir "${CMAKE_BINARY_DIR}/CMakeFiles/cellos-bpf-probe")
	file(MAKE_DIRECTORY "${probe_dir}")
	file(WRITE "${probe_dir}/probe.c" "int probe(int x);\nint\nprobe(int x)\n{\n\treturn x + 1;\n}\n")
	execute_process(COMMAND "${CELLOS_BPF_CLANG}" -target bpf -mcpu=v3 -O2
			-c probe.c -o probe.o
		WORKING_DIRECTORY "${probe_dir}"
		RESULT_VARIABLE probe_status
		OUTPUT_VARIABLE probe_output ERROR_VARIABLE probe_output)
	if(NOT probe_status EQUAL 0)
		message(FATAL_ERROR "${CELLOS_BPF_CLANG} cannot compile for "
			"-target bpf -mcpu=v3, which the bytecode genes in genes/bpf/ "
			"need (clang 14 or newer with the BPF backend; "
			"`clang -print-targets` lists bpf). Set CELLOS_BPF_CLANG to "
			"such a clang. It said:\n${probe_output}")
	endif()
	set(CELLOS_BPF_CLANG_CHECKED "${CELLOS_BPF_CLANG}" CACHE INTERNAL
		"The clang whose BPF backend was checked")
endif()

# The golden ledger's E5 mito and gas count the instructions the genes ran,
# so they hold for the clang the ledger was made with (Debian 12's clang 14).
# Another version may emit other instructions: say so up front, since the
# proof would then differ from the ledger in E5 (and E10) only.
execute_process(COMMAND "${CELLOS_BPF_CLANG}" -dumpversion
	OUTPUT_VARIABLE bpf_clang_version OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT bpf_clang_version MATCHES "^14\\.")
	message(WARNING "${CELLOS_BPF_CLANG} is clang ${bpf_clang_version}; "
		"proofs/ledger's E5 mito/gas were made with clang 14, whose "
		"BPF code for genes/bpf/ another version need not match")
endif()

# Compile each BPF C source of ARGN into out_dir/<name>.o; out_var gets the
# list of objects. Each object is written to a temporary and renamed. The
# flags: the ABI headers, no libc, no debug info (-g0: no .BTF either), and
# no path of this machine in the object (its only file name, STT_FILE, is
# the source's base name).
function(cellos_bpf_compile out_var out_dir)
	set(flags -target bpf -mcpu=v3 -O2 -g0 -std=c11 -ffreestanding
		-nostdlibinc -Wall -Wextra -Werror
		"-I${PROJECT_SOURCE_DIR}/genes/bpf" "-I${PROJECT_SOURCE_DIR}/include"
		"-I${PROJECT_SOURCE_DIR}/wire"
		"-ffile-prefix-map=${PROJECT_SOURCE_DIR}=.")
	set(objects)
	foreach(src IN LISTS ARGN)
		get_filename_component(name "${src}" NAME_WE)
		set(obj "${out_dir}/${name}.o")
		add_custom_command(
			OUTPUT "${obj}"
			COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
			COMMAND "${CELLOS_BPF_CLANG}" ${flags}
				-MD -MT "${obj}" -MF "${obj}.d"
				-c "${src}" -o "${obj}.tmp"
			COMMAND ${CMAKE_COMMAND} -E rename "${obj}.tmp" "${obj}"
			DEPENDS "${src}"
			DEPFILE "${obj}.d"
			COMMENT "clang -target bpf ${name}.c"
			VERBATIM)
		list(APPEND objects "${obj}")
	endforeach()
	set(${out_var} "${objects}" PARENT_SCOPE)
endfunction()
