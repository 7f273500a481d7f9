// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

// The poll's actions call the poll API; the server decides what is allowed (the buttons only offer
// what the status permits) and refuses changes to questions once the poll has answers.
const SSP_POLL_API = "selfservice_portal.api.polls.";

frappe.ui.form.on("SSP Poll", {
	refresh(frm) {
		if (frm.is_new()) return;
		const responses = (frm.doc.__onload && frm.doc.__onload.responses) || 0;
		const frozen = responses > 0;
		frm.set_df_property("questions", "read_only", frozen ? 1 : 0);
		frm.set_df_property("is_anonymous", "read_only", frozen ? 1 : 0);
		frm.set_df_property("audience_type", "read_only", frozen ? 1 : 0);
		frm.set_df_property("audience", "read_only", frozen ? 1 : 0);
		if (frozen) {
			frm.set_intro(
				__("{0} people have answered: the questions, anonymity and audience are frozen.", [responses]),
				"blue"
			);
		} else if (frm.doc.status === "Draft") {
			frm.set_intro(
				__("A draft: nobody sees it. Open it with Actions → Open Poll, or set Opens On and it opens by itself."),
				"yellow"
			);
		}
		const act = (label, method, message) =>
			frm.add_custom_button(
				label,
				() =>
					frappe.confirm(message, () =>
						frappe
							.call({ method: SSP_POLL_API + method, args: { poll: frm.doc.name } })
							.then(() => frm.reload_doc())
					),
				__("Actions")
			);
		if (frm.doc.status === "Draft") {
			act(__("Open Poll"), "open_poll", __("Open the poll now? Its audience is notified and can answer on /polls."));
		}
		if (frm.doc.status === "Open") {
			act(__("Close Poll"), "close_poll", __("Close the poll? It takes no more answers, and cannot be opened again."));
		}
		if (frm.doc.status !== "Draft") {
			frm.add_custom_button(__("Results"), () =>
				frappe.set_route("query-report", "SSP Poll Results", { poll: frm.doc.name })
			);
		}
	},
});
