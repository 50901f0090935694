# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when the sources hold a string that translations/cachewise_tr.ts lacks or leaves unfinished.
# Runs lupdate on a copy, so the checked-in file is never touched.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(COPY "${SOURCE_DIR}/translations/cachewise_tr.ts" DESTINATION "${WORK_DIR}")
execute_process(
    COMMAND "${LUPDATE}" -I "${SOURCE_DIR}" -locations none -no-obsolete
            "${SOURCE_DIR}/ui" "${SOURCE_DIR}/app" "${SOURCE_DIR}/core/analysis" "${SOURCE_DIR}/core/model" "${SOURCE_DIR}/core/services" -ts "${WORK_DIR}/cachewise_tr.ts"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed:\n${output}")
endif()
file(READ "${WORK_DIR}/cachewise_tr.ts" ts)
string(REGEX MATCHALL "<source>[^<]*</source>[ \n\r\t]*<translation type=\"unfinished\">" missing "${ts}")
list(LENGTH missing count)
if(count GREATER 0)
    string(REGEX REPLACE "[ \n\r\t]*<translation type=\"unfinished\">" "" missing "${missing}")
    string(REPLACE ";" "\n  " missing "${missing}")
    message(FATAL_ERROR "${count} string(s) have no Turkish translation in translations/cachewise_tr.ts "
        "(run lupdate as the README says, then translate):\n  ${missing}")
endif()
file(READ "${SOURCE_DIR}/translations/cachewise_tr.ts" original)
if(NOT original STREQUAL ts)
    message(FATAL_ERROR "translations/cachewise_tr.ts is out of date with the sources: run lupdate as the README says")
endif()
message(STATUS "every source string has a Turkish translation")
