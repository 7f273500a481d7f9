// Desk user profile page (/app/user-profile/<user>): badges under the user's details.
// The page draws its sidebar asynchronously after the route changes, and draws it again after
// "Edit Profile" or "Change User", so the block is attached whenever the details appear without it.
$(document).on("page-change", function () {
	const route = frappe.get_route();
	if (!route || route[0] !== "user-profile") return;
	const user = route[1] || frappe.session.user;
	const wrapper = frappe.pages["user-profile"];
	if (!wrapper) return;
	if (wrapper.ssp_badge_observer) wrapper.ssp_badge_observer.disconnect();
	selfservice_portal.badges.load(user).then((badges) => {
		if (!badges.length) return;
		const block = `<div class="ssp-profile-badges detail-item"><h5>${__("Badges")}</h5>${selfservice_portal.badges.html(badges)}</div>`;
		const attach = () => {
			const current = frappe.get_route();
			if (current[0] !== "user-profile" || (current[1] || frappe.session.user) !== user) return;
			const $details = $(wrapper).find(".user-profile-sidebar .profile-details");
			if ($details.length && !$details.find(".ssp-profile-badges").length) {
				$details.append(block);
			}
		};
		attach();
		wrapper.ssp_badge_observer = new MutationObserver(attach);
		wrapper.ssp_badge_observer.observe(wrapper, { childList: true, subtree: true });
	});
});
