// SSP: the fulfilment plan of a catalog request, in Helpdesk's ticket view — on the request's ticket
// (agent and customer portal) and on each task's ticket (agents). Installed as an HD Form Script by
// selfservice_portal; the logic lives in our API, which returns labels and states, never answers.
// Actions use `iconLeft` (an `icon` key would make an icon-only button in Helpdesk's CustomActions).
async function setupForm({ doc, call, $dialog }) {
	if (!doc || !doc.name) return { actions: [] };
	let plan = null;
	try {
		plan = await call("selfservice_portal.api.catalog.get_plan_progress", { ticket: doc.name });
	} catch (e) {
		return { actions: [] };
	}
	if (!plan) return { actions: [] };
	// Helpdesk's portal defines window.__ (with {0} arguments); the fallback keeps the English text.
	const __ = window.__ || ((text, ...values) => values.reduce((s, v, i) => s.split(`{${i}}`).join(v), text));
	const esc = (value) =>
		String(value ?? "").replace(
			/[&<>"']/g,
			(c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]
		);
	const label = __("Plan: {0} of {1} done", plan.done, plan.total);
	const items = plan.tasks
		.map((t) => {
			const due = t.due_on_display ? ` · ${esc(__("Due on {0}", t.due_on_display))}` : "";
			const ticket = t.ticket ? ` · <a href="/helpdesk/tickets/${encodeURIComponent(t.ticket)}">#${esc(t.ticket)}</a>` : "";
			const mark = t.is_this_ticket ? ` <em>${esc(__("(this ticket)"))}</em>` : "";
			return (
				`<li style="margin-bottom: .5rem"><div><strong>${esc(t.label)}</strong>${mark}: ${esc(t.department)}</div>` +
				`<div class="text-ink-gray-7">${esc(t.status_label)}${due}${ticket}</div></li>`
			);
		})
		.join("");
	const parent =
		plan.is_task_ticket && plan.request_ticket
			? `<p class="text-p-sm text-ink-gray-6" style="margin-bottom: .75rem">${esc(__("Part of request {0}, ticket {1}", plan.request, plan.request_ticket))}</p>`
			: "";
	const html =
		`<div class="ssp-plan-dialog text-p-base text-ink-gray-8">` +
		`<p style="margin-bottom: .75rem">${esc(plan.text)}</p>` +
		`<p class="text-p-sm text-ink-gray-6" style="margin-bottom: .75rem">${esc(plan.plan_status_label)}</p>` +
		parent +
		`<ol style="list-style: decimal; padding-inline-start: 1.25rem">${items}</ol>` +
		`</div>`;

	// Helpdesk 1.25.1's CustomActions both binds and listens to onClick, so it runs twice per click.
	let openedAt = 0;
	const action = {
		label,
		iconLeft: "check-square",
		onClick: () => {
			if (Date.now() - openedAt < 1000) return;
			openedAt = Date.now();
			$dialog({ title: __("Fulfilment plan: {0}", plan.service_title), html });
		},
	};
	// On a phone the header has no room for the text beside the ticket's title: the action goes into
	// Helpdesk's "more" menu (an action with a `group` and no `buttonLabel`; frappe-ui's Dropdown reads
	// the group's `items`), with the approval and the ways back.
	if (window.innerWidth < 640) {
		const item = { ...action, icon: action.iconLeft };
		return { actions: [{ group: __("Fulfilment plan"), hideLabel: true, items: [item] }] };
	}
	return { actions: [action] };
}
