// SSP: the ticket raiser's contest badges, next to the ticket in Helpdesk's agent view.
// Installed as an HD Form Script by selfservice_portal; the data comes from our API.
async function setupForm({ doc, call, $dialog }) {
	if (!doc || !doc.raised_by) return { actions: [] };
	let badges = [];
	try {
		badges = await call("selfservice_portal.api.contests.get_user_badges", { user: doc.raised_by });
	} catch (e) {
		return { actions: [] };
	}
	if (!badges || !badges.length) return { actions: [] };
	// Helpdesk's portal defines window.__ (with {0} arguments); the fallback keeps the English text.
	const __ = window.__ || ((text, ...values) => values.reduce((s, v, i) => s.split(`{${i}}`).join(v), text));
	const star = { Gold: "★", Silver: "☆", Bronze: "✪" };
	const describe = (b) => `${star[b.tier] || "★"} ${b.nomination_title} · ${__(b.tier)}, ${b.period_label}`;
	const more = badges.length > 1 ? ` (+${badges.length - 1})` : "";
	// Helpdesk 1.25.1's CustomActions both binds and listens to onClick, so it runs twice per click.
	let openedAt = 0;
	return {
		actions: [
			{
				// A text label and no `icon` (which would make frappe-ui's Button icon-only).
				label: describe(badges[0]) + more,
				onClick: () => {
					if (Date.now() - openedAt < 1000) return;
					openedAt = Date.now();
					$dialog({
						title: __("Badges of {0}", doc.raised_by),
						message: badges.map(describe).join("\n"),
					});
				},
			},
		],
	};
}
