// Copyright (c) 2026, selfservice_portal developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("SSP Contact Log", {
	setup(frm) {
		frm.set_query("channel", () => ({ filters: { is_enabled: 1 } }));
	},
});
