// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

// A badge is revoked, never deleted: the reason and who revoked it stay on the record.
frappe.ui.form.on("SSP Badge Award", {
	refresh(frm) {
		frm.disable_save();
		if (frm.doc.status !== "Active") return;
		frm.add_custom_button(__("Revoke"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
				(values) =>
					frappe
						.call({
							method: "selfservice_portal.api.contests.revoke_badge",
							args: { award: frm.doc.name, reason: values.reason },
							freeze: true,
						})
						.then(() => frm.reload_doc()),
				__("Revoke badge"),
				__("Revoke")
			)
		);
	},
});
