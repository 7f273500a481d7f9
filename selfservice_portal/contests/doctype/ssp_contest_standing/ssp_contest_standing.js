// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.ui.form.on("SSP Contest Standing", {});
