// SSP: approval progress of a catalog request, in Helpdesk's ticket view (agent and customer portal).
// Installed as an HD Form Script by selfservice_portal; the logic (and date formatting) lives in our API.
// Helpdesk's CustomActions.vue binds each action onto frappe-ui's Button: an `icon` key would make it an
// icon-only button, so actions use `iconLeft` and keep their text label.
async function setupForm({ doc, call, $dialog }) {
	if (!doc || !doc.name) return { actions: [] };
	let request = null;
	try {
		request = await call("selfservice_portal.api.catalog.get_ticket_approvals", { ticket: doc.name });
	} catch (e) {
		return { actions: [] };
	}
	if (!request) return { actions: [] };
	// Helpdesk's portal defines window.__ (with {0} arguments); the fallback keeps the English text.
	const __ = window.__ || ((text, ...values) => values.reduce((s, v, i) => s.split(`{${i}}`).join(v), text));
	const esc = (value) =>
		String(value ?? "").replace(
			/[&<>"']/g,
			(c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]
		);
	const steps = request.approvals.length;
	const done = request.approvals.filter((a) => a.decision === "Approved").length;
	const label = steps
		? __("Approval: {0} ({1}/{2})", request.status_label, done, steps)
		: __("Request details");

	const stepItems = request.approvals
		.map((a) => {
			const decided = a.decided_on_display ? ` · ${esc(a.decided_on_display)}` : "";
			const comment = a.comment
				? `<div class="text-ink-gray-6" style="margin-top: .25rem">“${esc(a.comment)}”</div>`
				: "";
			return (
				`<li style="margin-bottom: .5rem"><div><strong>${esc(a.label)}</strong>: ${esc(a.approver)}</div>` +
				`<div class="text-ink-gray-7">${esc(a.decision_label)}${decided}</div>${comment}</li>`
			);
		})
		.join("");
	const answers = request.answers
		.map(
			(a) =>
				`<dt class="font-medium text-ink-gray-8">${esc(a.label)}</dt>` +
				`<dd class="text-ink-gray-7" style="margin: 0 0 .5rem; white-space: pre-wrap">${esc(a.value)}</dd>`
		)
		.join("");
	const reason = request.rejection_reason
		? `<p class="text-ink-red-4" style="margin-bottom: .75rem">${esc(__("Reason for the rejection: {0}", request.rejection_reason))}</p>`
		: "";
	const html =
		`<div class="ssp-approvals-dialog text-p-base text-ink-gray-8">` +
		`<p style="margin-bottom: .75rem">${esc(request.status_text)}</p>` +
		`<p class="text-p-sm text-ink-gray-6" style="margin-bottom: .75rem">${esc(__("Submitted on {0}", request.submitted_on_display))}</p>` +
		reason +
		(steps ? `<h3 class="font-semibold" style="margin-bottom: .5rem">${esc(__("Approval steps"))}</h3><ol style="list-style: decimal; padding-inline-start: 1.25rem; margin-bottom: 1rem">${stepItems}</ol>` : "") +
		(answers ? `<h3 class="font-semibold" style="margin-bottom: .5rem">${esc(__("Answers"))}</h3><dl>${answers}</dl>` : "") +
		`</div>`;

	// Helpdesk 1.25.1's CustomActions both binds and listens to onClick, so it runs twice per click.
	let openedAt = 0;
	const action = {
		label,
		iconLeft: "list",
		onClick: () => {
			if (Date.now() - openedAt < 1000) return;
			openedAt = Date.now();
			$dialog({ title: request.service_title, html });
		},
	};
	// On a phone the header has no room for the text beside the ticket's title: the action goes into
	// Helpdesk's "more" menu (an action with a `group` and no `buttonLabel`; frappe-ui's Dropdown reads
	// the group's `items`), with the plan and the ways back.
	if (window.innerWidth < 640) {
		const item = { ...action, icon: action.iconLeft };
		return { actions: [{ group: __("Approval"), hideLabel: true, items: [item] }] };
	}
	return { actions: [action] };
}
