"""What a user does in the MultiOS panels, in a real browser.

Horizon logs users in through the Keystone of testbed cloud "alpha"; the
panels call the federation of every testbed cloud.
"""

import time
import uuid

from novaclient import exceptions as nova_exceptions
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support import ui

from tests.functional import helpers

# Real clouds behind a real Horizon: functional too, so that
# `-m 'not functional'` starts no cloud. The first test waits for the
# testbed (up to 240 s) and Horizon (conftest: up to 600 s), then its pages.
pytestmark = [pytest.mark.functional, pytest.mark.e2e,
              pytest.mark.timeout(1200)]

INSTANCES = '/project/multios_instances/'
CLOUDS = '/admin/multios_clouds/'
# Pages fan out to every cloud and share 2 CPUs with the clouds themselves.
WAIT = 180
#: Seconds between two reloads of a page that waits for Nova.
RELOAD_PAUSE = 2


def wait(browser, timeout=WAIT):
    return ui.WebDriverWait(browser, timeout)


def login(browser, horizon, cloud, user):
    browser.delete_all_cookies()
    browser.get(horizon + '/auth/login/')
    credentials = cloud.credentials(user)
    browser.find_element(By.ID, 'id_username').send_keys(
        credentials['username'])
    browser.find_element(By.ID, 'id_password').send_keys(
        credentials['password'])
    browser.find_element(By.ID, 'loginBtn').click()
    wait(browser).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, '.user-menu')))


def open_page(browser, horizon, path):
    browser.get(horizon + path)
    wait(browser).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, '#main_content table')))


def rows(browser):
    """{instance name: [cell texts]} of the instances table."""
    return {row.get_attribute('data-display'):
            [cell.text for cell in row.find_elements(By.TAG_NAME, 'td')]
            for row in browser.find_elements(
                By.CSS_SELECTOR, 'table#instances tbody tr[data-object-id]')}


@pytest.fixture
def owned_servers(testbed):
    """One server per cloud, owned by alpha's demo user, deleted after."""
    home = testbed.clouds[0]
    metadata = helpers.owner_metadata(home.project_id('demo'),
                                      home.user_id('demo'))
    created = {}
    for cloud in testbed.clouds:
        name = 'e2e-%s-%s' % (cloud.name, uuid.uuid4().hex[:6])
        created[name] = (cloud, helpers.create_servers(cloud, name,
                                                       metadata=metadata))
    yield {name: cloud.name for name, (cloud, _) in created.items()}
    for cloud, server_ids in created.values():
        helpers.delete_servers(cloud, server_ids)


def test_servers_of_every_cloud_show_with_their_cloud(
        browser, horizon, testbed, owned_servers, screenshot):
    login(browser, horizon, testbed.clouds[0], 'demo')
    open_page(browser, horizon, INSTANCES)

    table = rows(browser)
    screenshot('instances')
    for name, cloud in owned_servers.items():
        assert name in table
        assert cloud in table[name]


@pytest.fixture
def launch_name(testbed):
    """A fresh server name; whatever still has it at the end is deleted."""
    name = 'e2e-launch-%s' % uuid.uuid4().hex[:6]
    yield name
    for cloud in testbed.clouds:
        left = [s.id for s in cloud.nova_client('admin').servers.list(
            search_opts={'name': '^%s' % name, 'all_tenants': True})]
        helpers.delete_servers(cloud, left)


def test_launch_with_automatic_placement_then_delete(
        browser, horizon, testbed, launch_name, screenshot):
    name = launch_name
    login(browser, horizon, testbed.clouds[0], 'demo')
    open_page(browser, horizon, INSTANCES)

    browser.find_element(By.ID, 'instances__action_launch').click()
    form = wait(browser).until(ec.visibility_of_element_located(
        (By.ID, 'launch_form')))
    form.find_element(By.ID, 'id_name').send_keys(name)
    browser.execute_script(
        "document.getElementById('id_flavor').value = 'm1.tiny';"
        "document.getElementById('id_image').value = 'cirros';")
    form.find_element(By.CSS_SELECTOR, 'input[type=submit]').click()
    ranking = wait(browser).until(ec.visibility_of_element_located(
        (By.ID, 'placement_ranking')))
    ranked = [cell.text for cell in ranking.find_elements(
        By.CSS_SELECTOR, 'tr.candidate td:nth-child(2)')]
    assert ranked and set(ranked) <= {c.name for c in testbed.clouds}
    screenshot('ranking')

    browser.find_element(By.CSS_SELECTOR,
                         '#launch_form input[value=Launch]').click()
    # The launch is accepted at once; its server shows once Nova has it.
    message = wait(browser).until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, '.messages .alert-success')))
    assert 'accepted' in message.text, message.text
    wait(browser).until(lambda b: open_page(b, horizon, INSTANCES) or
                        name in rows(b) or time.sleep(1))
    wait(browser).until(lambda b: 'Active' in b.find_element(
        By.CSS_SELECTOR, 'tr[data-display="%s"]' % name).text)
    row = browser.find_element(By.CSS_SELECTOR,
                               'tr[data-display="%s"]' % name)
    # The launch ranks again (fresh latency and quota): any ranked cloud.
    assert any(cloud in row.text for cloud in ranked)
    screenshot('active')

    delete_row(browser, horizon, testbed, name)
    screenshot('deleted')


def unavailable_clouds(browser):
    """The page's warnings that a cloud did not answer (a partial list)."""
    return [alert.text for alert in browser.find_elements(
        By.CSS_SELECTOR, '.messages .alert-warning')
        if 'is unavailable' in alert.text]


def delete_row(browser, horizon, testbed, name):
    """Delete the instance of row ``name``; see it gone, page and Nova."""
    row = browser.find_element(By.CSS_SELECTOR,
                               'tr[data-display="%s"]' % name)
    server_id = row.get_attribute('data-object-id')
    cloud = next(c for c in testbed.clouds if c.name in rows(browser)[name])
    row.find_element(By.CSS_SELECTOR, '.themable-checkbox label').click()
    browser.find_element(By.ID, 'instances__action_delete').click()
    wait(browser).until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, '.modal-footer .btn-danger'))).click()
    # Only a complete listing proves it: a cloud that does not answer drops
    # its rows too.
    deadline = time.monotonic() + WAIT
    while True:
        open_page(browser, horizon, INSTANCES)
        complete = not unavailable_clouds(browser)
        if complete and name not in rows(browser):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(RELOAD_PAUSE)
    assert unavailable_clouds(browser) == []
    assert name not in rows(browser)
    with pytest.raises(nova_exceptions.NotFound):
        cloud.nova_client('admin').servers.get(server_id)


def test_stopped_cloud_is_named_and_the_others_still_show(
        browser, horizon, testbed, owned_servers, screenshot):
    stopped = testbed.clouds[2]
    login(browser, horizon, testbed.clouds[0], 'demo')
    with stopped.broken('stop'):
        open_page(browser, horizon, INSTANCES)
        warning = browser.find_element(By.CSS_SELECTOR,
                                       '.messages .alert-warning')
        screenshot('cloud-down')
        assert 'Cloud %s is unavailable' % stopped.name in warning.text
        table = rows(browser)
        for name, cloud in owned_servers.items():
            assert (name in table) == (cloud != stopped.name)


def test_admin_sees_clouds_and_every_project(
        browser, horizon, testbed, owned_servers, screenshot):
    login(browser, horizon, testbed.clouds[0], 'admin')
    open_page(browser, horizon, CLOUDS)

    clouds = browser.find_element(By.ID, 'clouds')
    screenshot('clouds')
    for cloud in testbed.clouds:
        row = clouds.find_element(By.CSS_SELECTOR,
                                  'tr[data-object-id="%s"]' % cloud.name)
        assert 'Up' in row.text
        assert row.find_elements(By.CSS_SELECTOR, '.progress-bar')

    browser.find_element(By.CSS_SELECTOR,
                         'a[data-target="#federation__instances"]').click()
    table = wait(browser).until(ec.visibility_of_element_located(
        (By.ID, 'all_instances')))
    screenshot('all-instances')
    for name in owned_servers:
        assert name in table.text


def _register(browser, credentials, password, name):
    browser.find_element(By.ID, 'clouds__action_register').click()
    form = wait(browser).until(ec.visibility_of_element_located(
        (By.ID, 'register_cloud_form')))
    for field in ('auth_url', 'username', 'project_name'):
        form.find_element(By.ID, 'id_' + field).send_keys(
            credentials[field])
    form.find_element(By.ID, 'id_name').send_keys(name)
    form.find_element(By.ID, 'id_password').send_keys(password)
    form.find_element(By.CSS_SELECTOR, 'input[type=submit]').click()


def test_admin_registers_a_checked_account_then_removes_it(
        browser, horizon, testbed, screenshot):
    name = 'e2e%s' % uuid.uuid4().hex[:6]
    account = testbed.clouds[1].credentials('demo')
    login(browser, horizon, testbed.clouds[0], 'admin')
    open_page(browser, horizon, CLOUDS)

    _register(browser, account, 'not-the-password', name)
    error = wait(browser).until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, '#register_cloud_form .alert-danger')))
    assert 'Could not authenticate to %s' % account['auth_url'] in error.text
    screenshot('refused')
    # The password is never sent back, not even to fix a typo.
    assert browser.find_element(By.ID, 'id_password').get_attribute(
        'value') == ''

    browser.find_element(By.ID, 'id_password').send_keys(
        account['password'])
    browser.find_element(By.CSS_SELECTOR,
                         '#register_cloud_form input[type=submit]').click()
    row = wait(browser).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, '#clouds tr[data-object-id="%s"]' % name)))
    screenshot('registered')
    assert account['password'] not in browser.page_source

    row.find_element(By.CSS_SELECTOR, '.themable-checkbox label').click()
    # Success and warning toasts may cover the button: click it in script.
    browser.execute_script('arguments[0].click();', browser.find_element(
        By.ID, 'clouds__action_delete'))
    wait(browser).until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, '.modal-footer .btn-danger'))).click()
    wait(browser).until(ec.staleness_of(row))
    open_page(browser, horizon, CLOUDS)
    assert not browser.find_elements(
        By.CSS_SELECTOR, '#clouds tr[data-object-id="%s"]' % name)
