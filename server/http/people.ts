import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { peopleRoutes } from '../../shared/people.ts'
import type { PeopleService } from '../people/create-people-service.ts'
import { routeSchema } from './route-schema.ts'

/** Profiles and the people directory over HTTP, for signed-in users. */
export const peopleRoutesPlugin: FastifyPluginAsyncTypebox<{ people: PeopleService }> = async (fastify, { people }) => {
  const { directory, profiles, updateProfile } = peopleRoutes
  fastify.addHook('onRequest', fastify.requireUser)

  fastify.get(directory.url, { schema: routeSchema(directory) }, async (request) =>
    people.directory(request.session!.user, request.query))

  fastify.post(profiles.url, { schema: routeSchema(profiles) }, async (request) =>
    ({ profiles: await people.profiles(request.session!.user, request.body.userIds) }))

  fastify.patch(updateProfile.url, { schema: routeSchema(updateProfile) }, async (request) =>
    ({ profile: await people.update(request.session!.user, request.body) }))
}
