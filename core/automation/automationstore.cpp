// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/automation/automationstore.h"

#include "core/common/logging.h"

namespace cachewise::automation {

AutomationStore *LazyStore::get(const char *user)
{
    if (!m_store) {
        auto opened = m_open();
        if (!opened) {
            qCWarning(lcAutomation) << user << "cannot open its store:" << opened.errorMessage();
            return nullptr;
        }
        m_store = std::move(opened).value();
    }
    return m_store.get();
}

} // namespace cachewise::automation
