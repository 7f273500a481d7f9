// SSP: approval progress of a catalog request, in Helpdesk's ticket view (agent and customer portal).
// Installed as an HD Form Script by selfservice_portal; the logic lives in our API.
async function setupForm({ doc, call, $dialog }) {
	if (!doc || !doc.name) return { actions: [] };
	let request = null;
	try {
		request = await call("selfservice_portal.api.catalog.get_ticket_approvals", { ticket: doc.name });
	} catch (e) {
		return { actions: [] };
	}
	if (!request) return { actions: [] };
	const t = window.__ || ((s) => s);
	const done = request.approvals.filter((a) => a.decision === "Approved").length;
	const steps = request.approvals.length;
	const label = steps
		? t("Approvals: {0}").replace("{0}", t(request.status)) + ` (${done}/${steps})`
		: t("Catalog request");
	const lines = request.approvals.map((a) => {
		const when = a.decided_on ? ` · ${a.decided_on}` : "";
		const note = a.comment ? ` — ${a.comment}` : "";
		return `${a.step}. ${a.label}: ${a.approver} — ${t(a.decision)}${when}${note}`;
	});
	if (request.rejection_reason) lines.push(t("Reason: {0}").replace("{0}", request.rejection_reason));
	const answers = request.answers.map((a) => `${a.label}: ${a.value}`);
	return {
		actions: [
			{
				label,
				icon: "check-circle",
				onClick: () =>
					$dialog({
						title: `${request.service_title} · ${t(request.status)}`,
						message: [...lines, "", ...answers].join("\n"),
					}),
			},
		],
	};
}
