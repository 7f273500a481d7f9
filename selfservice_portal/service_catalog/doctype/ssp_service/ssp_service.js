// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

frappe.ui.form.on("SSP Service", {
	setup(frm) {
		// Helpdesk applies enabled SLAs only (the server refuses a disabled one too).
		frm.set_query("service_level_agreement", () => ({ filters: { enabled: 1 } }));
	},
});
