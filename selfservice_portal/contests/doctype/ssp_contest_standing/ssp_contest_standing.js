// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

// Review of a participant in one nomination while the contest is being judged: clear a flag, or
// disqualify with a reason (audited on the contest). The breakdown shows what counted and why not.
frappe.ui.form.on("SSP Contest Standing", {
	refresh(frm) {
		frm.disable_save();
		if (frm.doc.is_flagged && frm.doc.flag_reasons) {
			frm.dashboard.set_headline_alert(
				__("Flagged for review: {0}", [frappe.utils.escape_html(frm.doc.flag_reasons)]),
				frm.doc.review_status === "Pending" ? "orange" : "blue"
			);
		}
		frappe.db.get_value("SSP Contest", frm.doc.contest, "status").then((r) => {
			if (!r.message || r.message.status !== "Judging") return;
			const review = (decision, reason) =>
				frappe
					.call({
						method: "selfservice_portal.api.contests.review_participant",
						args: { standing: frm.doc.name, decision, reason: reason || "" },
						freeze: true,
					})
					.then(() => frm.reload_doc());
			if (frm.doc.review_status !== "Cleared") {
				frm.add_custom_button(__("Clear", null, "Contest review"), () =>
					frappe.prompt(
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Note (optional)") },
						(values) => review("Cleared", values.reason),
						__("Clear {0}", [frm.doc.user]),
						__("Clear", null, "Contest review")
					)
				);
			}
			if (frm.doc.review_status !== "Disqualified") {
				frm.add_custom_button(__("Disqualify"), () =>
					frappe.prompt(
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
						(values) => review("Disqualified", values.reason),
						__("Disqualify {0}", [frm.doc.user]),
						__("Disqualify")
					)
				);
			}
		});
	},
});
