# Turn proofs/ledger into the C table the kernel carries (core/ledger.h):
#   cmake -DLEDGER=proofs/ledger -DOUT=ledger_data.c -P cmake/ledger.cmake
# The ledger's lines are blank, comments (#...), the phenotypes it covers
#   phenotype <name> sha256=<64 hex digits>
# and the expected proof values
#   E<n> <field>=<8 hex digits>
# Anything else stops the build with "ledger:LINE: reason". The output is
# written to a temporary and renamed.
cmake_minimum_required(VERSION 3.25)
if(NOT LEDGER OR NOT OUT)
	message(FATAL_ERROR "usage: cmake -DLEDGER=FILE -DOUT=FILE -P ledger.cmake")
endif()
if(NOT EXISTS "${LEDGER}")
	message(FATAL_ERROR "${LEDGER}: no such file")
endif()

file(STRINGS "${LEDGER}" lines)
set(values "")
set(phenotypes "")
set(nvalues 0)
set(nphenotypes 0)
set(seen_fields "")
set(seen_shas "")
set(lineno 0)
foreach(line IN LISTS lines)
	math(EXPR lineno "${lineno} + 1")
	if(line MATCHES "\r")
		message(FATAL_ERROR "${LEDGER}:${lineno}: carriage return (the ledger has LF line ends)")
	endif()
	if(line MATCHES "^[ \t]*$" OR line MATCHES "^#")
		continue()
	endif()
	if(line MATCHES "^phenotype ([A-Za-z0-9_.-]+) sha256=([0-9A-F]+)$")
		set(name "${CMAKE_MATCH_1}")
		set(sha "${CMAKE_MATCH_2}")
		string(LENGTH "${sha}" n)
		if(NOT n EQUAL 64)
			message(FATAL_ERROR "${LEDGER}:${lineno}: sha256= needs 64 upper-case hex digits, has ${n}")
		endif()
		if(sha IN_LIST seen_shas)
			message(FATAL_ERROR "${LEDGER}:${lineno}: phenotype ${sha} listed twice")
		endif()
		list(APPEND seen_shas "${sha}")
		string(REGEX REPLACE "(..)" "0x\\1, " bytes "${sha}")
		string(APPEND phenotypes "\t{ \"${name}\", { ${bytes}} },\n")
		math(EXPR nphenotypes "${nphenotypes} + 1")
	elseif(line MATCHES "^E([0-9]+) ([a-z0-9_]+)=([0-9A-F]+)$")
		set(e "${CMAKE_MATCH_1}")
		set(field "${CMAKE_MATCH_2}")
		set(hex "${CMAKE_MATCH_3}")
		string(LENGTH "${hex}" n)
		string(LENGTH "${field}" fn)
		if(NOT n EQUAL 8)
			message(FATAL_ERROR "${LEDGER}:${lineno}: E${e} ${field}= needs 8 upper-case hex digits, has ${n}")
		endif()
		if(fn GREATER 15)
			message(FATAL_ERROR "${LEDGER}:${lineno}: field name '${field}' is longer than 15 characters")
		endif()
		if(NOT e MATCHES "^(2|3|5|6|7|8|9|10)$")
			message(FATAL_ERROR "${LEDGER}:${lineno}: E${e} is not a proof line with values (E2, E3, E5..E10)")
		endif()
		if("E${e}.${field}" IN_LIST seen_fields)
			message(FATAL_ERROR "${LEDGER}:${lineno}: E${e} ${field} listed twice")
		endif()
		list(APPEND seen_fields "E${e}.${field}")
		string(APPEND values "\t{ ${e}, \"${field}\", 0x${hex}u },\n")
		math(EXPR nvalues "${nvalues} + 1")
	else()
		message(FATAL_ERROR "${LEDGER}:${lineno}: expected 'E<n> <field>=<8 hex>' or 'phenotype <name> sha256=<64 hex>', got: ${line}")
	endif()
endforeach()
if(nvalues EQUAL 0)
	message(FATAL_ERROR "${LEDGER}: no proof values")
endif()
# C has no empty arrays: an unused entry keeps the table well formed.
if(nphenotypes EQUAL 0)
	set(phenotypes "\t{ \"\", { 0 } },\n")
endif()

file(WRITE "${OUT}.tmp" "/* Generated from proofs/ledger by cmake/ledger.cmake. Do not edit. */
#include \"ledger.h\"

const struct ledger_value ledger_values[] = {
${values}};
const uint32_t ledger_value_count = ${nvalues};

const struct ledger_phenotype ledger_phenotypes[] = {
${phenotypes}};
const uint32_t ledger_phenotype_count = ${nphenotypes};
")
file(RENAME "${OUT}.tmp" "${OUT}")
