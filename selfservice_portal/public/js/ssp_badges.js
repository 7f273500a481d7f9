// Star badges (SSP Badge Award) rendered in Desk: the User form and the user profile page.
frappe.provide("selfservice_portal.badges");

selfservice_portal.badges.star = function (tier) {
	const file = { Gold: "gold", Silver: "silver", Bronze: "bronze" }[tier] || "gold";
	return `<img src="/assets/selfservice_portal/images/star-${file}.svg" alt="${__(tier)}" width="20" height="20" style="vertical-align: text-bottom">`;
};

selfservice_portal.badges.html = function (badges) {
	if (!badges || !badges.length) return "";
	const items = badges
		.map(
			(b) => `<div class="ssp-badge" style="display:flex;gap:6px;align-items:center;margin:4px 0">
				${selfservice_portal.badges.star(b.tier)}
				<span><b>${frappe.utils.escape_html(b.nomination_title)}</b> · ${__(b.tier)}, ${frappe.utils.escape_html(b.period_label || "")}</span>
			</div>`
		)
		.join("");
	return `<div class="ssp-badges">${items}</div>`;
};

selfservice_portal.badges.load = function (user) {
	return frappe
		.call({ method: "selfservice_portal.api.contests.get_user_badges", args: { user }, type: "GET" })
		.then((r) => r.message || []);
};
