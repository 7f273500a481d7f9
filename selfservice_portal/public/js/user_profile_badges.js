// Desk user profile page (/app/user-profile/<user>): badges under the user's details.
$(document).on("page-change", function () {
	const route = frappe.get_route();
	if (!route || route[0] !== "user-profile") return;
	const user = route[1] || frappe.session.user;
	selfservice_portal.badges.load(user).then((badges) => {
		if (!badges.length) return;
		const $page = $(".page-container:visible");
		$page.find(".ssp-profile-badges").remove();
		const $target = $page.find(".user-profile-sidebar, .profile-details, .layout-side-section").first();
		const block = `<div class="ssp-profile-badges" style="margin-top:12px"><h6>${__("Badges")}</h6>${selfservice_portal.badges.html(badges)}</div>`;
		($target.length ? $target : $page.find(".page-body").first()).append(block);
	});
});
