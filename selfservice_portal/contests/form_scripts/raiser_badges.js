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
	const t = window.__ || ((s) => s);
	const star = { Gold: "★", Silver: "☆", Bronze: "✪" };
	const describe = (b) => `${star[b.tier] || "★"} ${b.nomination_title} · ${t(b.tier)}, ${b.period_label}`;
	const more = badges.length > 1 ? ` (+${badges.length - 1})` : "";
	return {
		actions: [
			{
				label: describe(badges[0]) + more,
				onClick: () =>
					$dialog({
						title: t("Badges of {0}").replace("{0}", doc.raised_by),
						message: badges.map(describe).join("\n"),
					}),
			},
		],
	};
}
