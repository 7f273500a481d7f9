// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

// Approving in Desk: the approver of the current step (or a catalog admin) decides from the form; the
// server checks who may decide, as it does on the portal's approval page.
frappe.ui.form.on("SSP Request", {
	refresh(frm) {
		frm.disable_save();
		if (frm.doc.status !== "Pending Approval") return;
		frm.add_custom_button(__("Open Approval Page"), () =>
			window.open(`/service-approval?request=${encodeURIComponent(frm.doc.name)}`)
		);
		if (!ssp_request_can_decide(frm)) return;
		const decide = (decision, comment) =>
			frappe
				.call({
					method: "selfservice_portal.api.catalog.decide_approval",
					args: { request: frm.doc.name, decision, comment: comment || "" },
					freeze: true,
				})
				.then(() => frm.reload_doc());
		frm.add_custom_button(
			__("Approve"),
			() =>
				frappe.prompt(
					{ fieldname: "comment", fieldtype: "Small Text", label: __("Comment (optional)") },
					(values) => decide("Approved", values.comment),
					__("Approve {0}", [frm.doc.name]),
					__("Approve")
				),
			__("Decide")
		);
		frm.add_custom_button(
			__("Reject"),
			() =>
				frappe.prompt(
					{ fieldname: "comment", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					(values) => decide("Rejected", values.comment),
					__("Reject {0}", [frm.doc.name]),
					__("Reject")
				),
			__("Decide")
		);
	},
});

function ssp_request_can_decide(frm) {
	if (frappe.user.has_role(["System Manager", "SSP Manager"])) return true;
	const rows = frm.doc.approvals || [];
	const pending = rows.filter((r) => r.decision === "Pending").map((r) => r.step);
	if (!pending.length) return false;
	const step = Math.min(...pending);
	return rows.some((r) => r.step === step && r.approver === frappe.session.user && r.decision === "Pending");
}
