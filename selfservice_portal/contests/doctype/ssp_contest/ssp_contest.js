// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

// The contest manager's console: each lifecycle step is a button that calls the contest API (the
// server decides what is allowed; the buttons only offer what the status permits).
const SSP_CONTEST_API = "selfservice_portal.api.contests.";

frappe.ui.form.on("SSP Contest", {
	setup(frm) {
		frappe.realtime.on("ssp:judging_progress", (data) => {
			if (!data || data.contest !== frm.doc.name) return;
			if (data.finished) {
				frappe.hide_progress();
				frappe.show_alert({ message: __("Judging finished"), indicator: "green" });
				frm.reload_doc();
				return;
			}
			frappe.show_progress(
				__("Judging {0}", [frm.doc.title]),
				data.done,
				data.total,
				__("Nomination {0} of {1}", [data.done, data.total])
			);
		});
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		const act = (label, method, confirm_message) =>
			frm.add_custom_button(label, () => ssp_contest_call(frm, method, confirm_message), __("Actions"));

		if (status === "Draft") {
			act(
				__("Announce"),
				"announce_contest",
				__("Announcing notifies the audience and freezes the nominations, metrics, eligibility rules and start. Announce now?")
			);
		}
		if (["Draft", "Announced", "Running"].includes(status)) {
			act(__("Cancel Contest"), "cancel_contest", __("Cancel this contest? This cannot be undone."));
		}
		if (status === "Running" || status === "Judging") {
			act(__("Judge"), "judge_contest");
		}
		if (status === "Judging") {
			act(
				__("Award"),
				"award_contest",
				__("Award the badges and publish the winners' announcement?")
			);
		}
		if (status === "Awarded" || status === "Cancelled") {
			frm.add_custom_button(__("Draft Next Contest"), () =>
				frappe
					.call({ method: SSP_CONTEST_API + "draft_next_contest", args: { contest: frm.doc.name } })
					.then((r) => r.message && frappe.set_route("Form", "SSP Contest", r.message.contest))
			);
		}
		if (["Running", "Judging", "Awarded"].includes(status)) {
			frm.add_custom_button(
				__("Standings"),
				() => frappe.set_route("List", "SSP Contest Standing", { contest: frm.doc.name }),
				__("View")
			);
			frm.add_custom_button(
				__("Participants to Review"),
				() =>
					frappe.set_route("List", "SSP Contest Standing", {
						contest: frm.doc.name,
						review_status: "Pending",
					}),
				__("View")
			);
		}
		if (status === "Awarded") {
			frm.add_custom_button(
				__("Badges"),
				() => frappe.set_route("List", "SSP Badge Award", { contest: frm.doc.name }),
				__("View")
			);
		}
		if (status !== "Draft" && status !== "Cancelled") {
			frm.add_custom_button(
				__("Leaderboard"),
				() => window.open(`/contests?contest=${encodeURIComponent(frm.doc.name)}`),
				__("View")
			);
		}
		if (status === "Judging" || status === "Running") {
			ssp_contest_review_headline(frm);
		}
	},
});

function ssp_contest_call(frm, method, confirm_message) {
	const run = () =>
		frappe
			.call({
				method: SSP_CONTEST_API + method,
				args: { contest: frm.doc.name },
				freeze: true,
			})
			.then((r) => {
				if (method === "judge_contest") {
					frappe.show_alert({ message: __("Judging started in the background"), indicator: "blue" });
				}
				if (r.message && r.message.created !== undefined) {
					frappe.show_alert({
						message: __("{0} badges awarded", [r.message.created]),
						indicator: "green",
					});
				}
				frm.reload_doc();
			});
	if (confirm_message) {
		frappe.confirm(confirm_message, run);
	} else {
		run();
	}
}

function ssp_contest_review_headline(frm) {
	frappe.db
		.count("SSP Contest Standing", { filters: { contest: frm.doc.name, review_status: "Pending" } })
		.then((pending) => {
			if (!pending) return;
			frm.dashboard.set_headline_alert(
				__("{0} flagged participants must be cleared or disqualified before awarding.", [pending]),
				"orange"
			);
		});
}
