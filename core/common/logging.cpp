// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/logging.h"

Q_LOGGING_CATEGORY(lcStorage, "cachewise.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "cachewise.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIngest, "cachewise.ingest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSources, "cachewise.sources", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAnalysis, "cachewise.analysis", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAutomation, "cachewise.automation", QtInfoMsg)
Q_LOGGING_CATEGORY(lcReport, "cachewise.report", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServices, "cachewise.services", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "cachewise.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "cachewise.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "cachewise.ui", QtInfoMsg)
