// Copyright (c) 2026, selfservice_portal developers
// For license information, please see license.txt

// The contest manager's console: each lifecycle step is a button that calls the contest API (the
// server decides what is allowed; the buttons only offer what the status permits).
const SSP_CONTEST_API = "selfservice_portal.api.contests.";

// Judging runs in the background: its progress is Frappe's own progress bar on this form
// (frappe.publish_progress with the contest as docname), and the form reloads when judging commits.
frappe.ui.form.on("SSP Contest", {
	onload(frm) {
		ssp_contest_metric_options(frm);
	},

	refresh(frm) {
		ssp_contest_metric_options(frm);
		if (frm.is_new()) return;
		const status = frm.doc.status;
		ssp_contest_freeze(frm);
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
			frm.add_custom_button(__("Draft Next Contest"), () => ssp_contest_draft_next(frm));
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

function ssp_contest_metric_label(frm, cdt, cdn) {
	const row = locals[cdt][cdn];
	const option = ssp_contest_metrics(frm).find((m) => m.value === row.metric);
	frappe.model.set_value(cdt, cdn, "metric_label", option ? option.label : row.metric || "");
}

frappe.ui.form.on("SSP Contest Nomination", { metric: ssp_contest_metric_label });
// The metrics of combined nominations pick from the same registry.
frappe.ui.form.on("SSP Nomination Metric", { metric: ssp_contest_metric_label });

// The metric is stored by its registry key and offered (and shown) by its name.
function ssp_contest_metrics(frm) {
	return (frm.doc.__onload && frm.doc.__onload.metrics) || [];
}

function ssp_contest_metric_options(frm) {
	const options = ssp_contest_metrics(frm);
	for (const table of ["nominations", "nomination_metrics"]) {
		const grid = frm.fields_dict[table] && frm.fields_dict[table].grid;
		if (!options.length || !grid) continue;
		// Set on the docfields the row editors are built from, without refreshing the grid (a refresh
		// re-renders the whole form and would mark a freshly loaded contest "Not Saved").
		const docfields = [grid.docfields || [], ...(grid.grid_rows || []).map((row) => row.docfields || [])];
		for (const df of docfields.flat()) {
			if (df.fieldname === "metric") df.options = [{ value: "", label: "" }, ...options];
		}
	}
}

// What the server refuses to change looks unchangeable: once announced, the rules (all but the end);
// an awarded or cancelled contest is a record, and the form says so.
const SSP_CONTEST_FROZEN = [
	"starts_on",
	"audience_type",
	"audience",
	"nominations",
	"nomination_metrics",
	"daily_ticket_cap",
	"min_ticket_length",
	"burst_tickets",
	"burst_minutes",
	"outlier_factor",
];

function ssp_contest_freeze(frm) {
	const status = frm.doc.status;
	const announced = status !== "Draft";
	SSP_CONTEST_FROZEN.forEach((field) => frm.set_df_property(field, "read_only", announced ? 1 : 0));
	if (status !== "Awarded" && status !== "Cancelled") return;
	frm.disable_form();
	frm.set_read_only();
	const when = status === "Awarded" ? frm.doc.awarded_on : frm.doc.modified;
	frm.set_intro(
		status === "Awarded"
			? __(
					"This contest was awarded on {0}. Its rules, period and results are final and can no longer be edited; badges are revoked from their SSP Badge Award. Use Draft Next Contest to run it again.",
					[frappe.datetime.str_to_user(when, false, true)]
			  )
			: __(
					"This contest was cancelled. It can no longer be edited; use Draft Next Contest to run it again.",
					[]
			  ),
		status === "Awarded" ? "green" : "orange"
	);
}

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

// Nothing is created until the manager has seen what would be: the title, the period (the first one
// that has not begun) and the nominations.
function ssp_contest_draft_next(frm) {
	frappe
		.call({ method: SSP_CONTEST_API + "preview_next_contest", args: { contest: frm.doc.name } })
		.then((r) => {
			const next = r.message;
			if (!next) return;
			const esc = frappe.utils.escape_html;
			const nominations = next.nominations.length
				? next.nominations
						.map((n) => `<li>${esc(n.title)} <span class="text-muted">(${esc(n.metric)})</span></li>`)
						.join("")
				: `<li class="text-muted">${__("No nominations: add them before announcing.")}</li>`;
			const dialog = new frappe.ui.Dialog({
				title: __("Draft the next contest?"),
				fields: [
					{
						fieldtype: "HTML",
						fieldname: "summary",
						options: `<div class="ssp-next-contest">
							<p>${__("A new draft will be created with the same rules and audience:")}</p>
							<p><strong>${esc(next.title)}</strong><br>
							<span class="ssp-next-period">${esc(next.period)}</span></p>
							<p class="mb-1">${__("Nominations")}</p>
							<ul>${nominations}</ul>
							<p class="text-muted small">${__(
								"It stays a draft: nobody is told until you announce it, and you can still change it."
							)}</p>
						</div>`,
					},
				],
				primary_action_label: __("Create Draft"),
				primary_action() {
					dialog.hide();
					frappe
						.call({
							method: SSP_CONTEST_API + "draft_next_contest",
							args: { contest: frm.doc.name },
							freeze: true,
						})
						.then((res) => res.message && frappe.set_route("Form", "SSP Contest", res.message.contest));
				},
				secondary_action_label: __("Cancel"),
			});
			dialog.show();
		});
}
